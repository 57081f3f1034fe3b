package io.vigil.trainer.evaluation;

import io.vigil.trainer.SelectionMetric;
import io.vigil.trainer.dataset.TrainingSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The offline metrics of one model on one labelled period. */
public record Evaluation(
        int rows,
        int frauds,
        double aucRoc,
        double averagePrecision,
        CardPrecisionAtK.Result cardPrecision) {

    /** Scores {@code set} with {@code scores} (same order as its rows). */
    public static Evaluation of(
            TrainingSet set, double[] scores, int k, Map<String, Instant> fraudKnownAt) {
        return new Evaluation(
                set.size(),
                set.frauds(),
                RankingMetrics.aucRoc(scores, set.labels()),
                RankingMetrics.averagePrecision(scores, set.labels()),
                CardPrecisionAtK.compute(set, scores, k, fraudKnownAt));
    }

    /** As model metadata records them, e.g. {@code card_precision_at_100}. */
    public Map<String, Double> asMetrics(String prefix) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (SelectionMetric metric : SelectionMetric.values()) {
            metrics.put(prefix + metric.key(cardPrecision.k()), metric.of(this));
        }
        metrics.put(prefix + "rows", (double) rows);
        metrics.put(prefix + "frauds", (double) frauds);
        return metrics;
    }
}
