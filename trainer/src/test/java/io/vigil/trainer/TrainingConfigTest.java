package io.vigil.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.models.DecisionBands;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrainingConfigTest {

    private static final Instant A = Instant.parse("2018-04-01T00:00:00Z");
    private static final Instant B = Instant.parse("2018-04-15T00:00:00Z");
    private static final Instant C = Instant.parse("2018-04-22T00:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);

    @Test
    void refusesPeriodsOutOfOrderOrUnlabelled() {
        assertThatThrownBy(() -> config(B, A, C, C, WEEK, 100))
                .hasMessageContaining("periods must follow each other");
        assertThatThrownBy(() -> config(A, C, B, C, WEEK, 100))
                .hasMessageContaining("periods must follow each other");
        assertThatThrownBy(() -> config(A, B, C, C.minusSeconds(1), WEEK, 100))
                .hasMessageContaining("after the label cut-off");
        assertThatThrownBy(() -> config(A, B, C, C, WEEK.negated(), 100))
                .hasMessageContaining("label delay must not be negative");
        assertThatThrownBy(() -> config(A, B, C, C, WEEK, 0)).hasMessageContaining("k must be");
        // Bands not given are the default, as in metadata.
        assertThat(config(A, B, C, C, WEEK, 100).decisionBands()).isEqualTo(DecisionBands.DEFAULT);
    }

    @Test
    void refusesBadIdentities() {
        assertThatThrownBy(
                        () ->
                                new TrainingConfig(
                                        "fraud model",
                                        "1",
                                        null,
                                        "abc",
                                        A,
                                        B,
                                        C,
                                        C,
                                        WEEK,
                                        100,
                                        SelectionMetric.AUC_ROC,
                                        null))
                .hasMessageContaining("model name must be");
        assertThatThrownBy(
                        () ->
                                new TrainingConfig(
                                        "fraud",
                                        "1",
                                        null,
                                        " ",
                                        A,
                                        B,
                                        C,
                                        C,
                                        WEEK,
                                        100,
                                        SelectionMetric.AUC_ROC,
                                        null))
                .hasMessageContaining("code version");
    }

    private static TrainingConfig config(
            Instant from, Instant to, Instant validationTo, Instant cutoff, Duration delay, int k) {
        return new TrainingConfig(
                "fraud",
                "1",
                null,
                "abc",
                from,
                to,
                validationTo,
                cutoff,
                delay,
                k,
                SelectionMetric.AVERAGE_PRECISION,
                null);
    }
}
