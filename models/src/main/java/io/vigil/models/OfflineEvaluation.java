package io.vigil.models;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one offline evaluation of a registered version measured on a labelled test period, as the
 * registry records it ({@link io.vigil.models.registry.ModelRegistry#recordEvaluation}).
 *
 * @param from start of the test period (inclusive)
 * @param to end of the test period (exclusive)
 * @param labelCutoff labels known at this instant were used
 * @param labelDelay an unlabelled transaction this old at the cut-off counted as legitimate
 * @param protocol which rows and which Card Precision@k rule, e.g. {@code vigil} or {@code
 *     handbook}
 * @param knownSince handbook protocol: cards with a fraud reported since then were left out; else
 *     null
 * @param k investigators' daily budget of Card Precision@k
 * @param metrics e.g. {@code test_auc_roc}, {@code test_average_precision}, {@code
 *     test_card_precision_at_100}; finite numbers only
 * @param comparedWith the other versions evaluated on the same rows in the same run
 * @param featuresTopic where the feature log was read (a topic name), or null
 * @param labelsTopic where the labels were read (a topic name), or null
 */
public record OfflineEvaluation(
        Instant from,
        Instant to,
        Instant labelCutoff,
        Duration labelDelay,
        String protocol,
        Instant knownSince,
        int k,
        long rows,
        long frauds,
        Map<String, Double> metrics,
        List<String> comparedWith,
        String featuresTopic,
        String labelsTopic) {

    public OfflineEvaluation {
        Objects.requireNonNull(from, "evaluation: test period start");
        Objects.requireNonNull(to, "evaluation: test period end");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException(
                    "evaluation: test period start " + from + " must be before its end " + to);
        }
        Objects.requireNonNull(labelCutoff, "evaluation: label cut-off");
        if (labelCutoff.isBefore(to)) {
            throw new IllegalArgumentException(
                    "evaluation: label cut-off "
                            + labelCutoff
                            + " is before the end of the test period "
                            + to);
        }
        Objects.requireNonNull(labelDelay, "evaluation: label delay");
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "evaluation: label delay must not be negative, got " + labelDelay);
        }
        if (protocol == null || protocol.isBlank()) {
            throw new IllegalArgumentException("evaluation: protocol is required");
        }
        if (k < 1) {
            throw new IllegalArgumentException("evaluation: k must be at least 1, got " + k);
        }
        if (rows < 0 || frauds < 0 || frauds > rows) {
            throw new IllegalArgumentException(
                    "evaluation: need 0 <= frauds <= rows, got "
                            + frauds
                            + " frauds in "
                            + rows
                            + " rows");
        }
        metrics =
                Collections.unmodifiableMap(
                        new TreeMap<>(Objects.requireNonNullElse(metrics, Map.of())));
        metrics.forEach(
                (key, value) -> {
                    if (value == null || !Double.isFinite(value)) {
                        throw new IllegalArgumentException(
                                "evaluation: metric "
                                        + key
                                        + " must be a finite number, got "
                                        + value);
                    }
                });
        comparedWith = List.copyOf(Objects.requireNonNullElse(comparedWith, List.of()));
    }
}
