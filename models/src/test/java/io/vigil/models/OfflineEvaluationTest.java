package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class OfflineEvaluationTest {

    static final Instant FROM = Instant.parse("2018-08-08T00:00:00Z");
    static final Instant TO = Instant.parse("2018-08-15T00:00:00Z");

    /** A valid evaluation of the handbook's test week with the given AUC ROC. */
    public static OfflineEvaluation week(double aucRoc) {
        return new OfflineEvaluation(
                FROM,
                TO,
                TO.plus(Duration.ofDays(7)),
                Duration.ofDays(7),
                "vigil",
                null,
                100,
                67_080,
                568,
                Map.of("test_auc_roc", aucRoc, "test_average_precision", 0.6382),
                List.of("1-xgboost"),
                "vigil.features",
                "vigil.labels");
    }

    @Test
    void keepsMetricsSortedAndListsImmutable() {
        OfflineEvaluation e = week(0.8968);
        assertThat(e.metrics().keySet()).containsExactly("test_auc_roc", "test_average_precision");
        assertThatThrownBy(() -> e.comparedWith().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesWhatCannotBeAnEvaluationNamingTheField() {
        OfflineEvaluation ok = week(0.9);
        assertThatThrownBy(() -> with(TO, FROM, ok.labelCutoff(), 100, 10, 1, 0.9))
                .hasMessageContaining("test period start " + TO + " must be before its end");
        assertThatThrownBy(() -> with(FROM, TO, TO.minusSeconds(1), 100, 10, 1, 0.9))
                .hasMessageContaining("is before the end of the test period");
        assertThatThrownBy(() -> with(FROM, TO, ok.labelCutoff(), 0, 10, 1, 0.9))
                .hasMessageContaining("k must be at least 1, got 0");
        assertThatThrownBy(() -> with(FROM, TO, ok.labelCutoff(), 100, 10, 11, 0.9))
                .hasMessageContaining("need 0 <= frauds <= rows, got 11 frauds in 10 rows");
        assertThatThrownBy(() -> with(FROM, TO, ok.labelCutoff(), 100, 10, 1, Double.NaN))
                .hasMessageContaining("metric test_auc_roc must be a finite number, got NaN");
    }

    private static OfflineEvaluation with(
            Instant from, Instant to, Instant cutoff, int k, long rows, long frauds, double auc) {
        return new OfflineEvaluation(
                from,
                to,
                cutoff,
                Duration.ofDays(7),
                "vigil",
                null,
                k,
                rows,
                frauds,
                Map.of("test_auc_roc", auc),
                null,
                null,
                null);
    }
}
