package io.vigil.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    @Test
    void distinctScores() {
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.5};
        int[] labels = {1, 0, 1, 0, 0};
        // Frauds 0.9 and 0.7 against legit 0.8, 0.6, 0.5: 3 + 2 of 6 pairs ordered right.
        assertThat(RankingMetrics.aucRoc(scores, labels)).isCloseTo(5.0 / 6, within(1e-12));
        // Recall 1/2 at precision 1, then recall 1 at precision 2/3: 1/2 + 1/2 * 2/3.
        assertThat(RankingMetrics.averagePrecision(scores, labels))
                .isCloseTo(5.0 / 6, within(1e-12));
    }

    @Test
    void tiedScoresFormOneThreshold() {
        double[] scores = {0.5, 0.5, 0.2};
        int[] labels = {1, 0, 1};
        // Fraud 0.5 vs legit 0.5 is a tie (1/2), fraud 0.2 vs legit 0.5 is wrong (0): 0.5 of 2.
        assertThat(RankingMetrics.aucRoc(scores, labels)).isCloseTo(0.25, within(1e-12));
        // At 0.5: precision 1/2, recall 1/2; at 0.2: precision 2/3, recall 1.
        assertThat(RankingMetrics.averagePrecision(scores, labels))
                .isCloseTo(0.5 * 0.5 + 0.5 * 2 / 3.0, within(1e-12));
    }

    @Test
    void perfectAndReversedRankings() {
        double[] scores = {0.1, 0.2, 0.3, 0.4};
        assertThat(RankingMetrics.aucRoc(scores, new int[] {0, 0, 1, 1})).isEqualTo(1.0);
        assertThat(RankingMetrics.averagePrecision(scores, new int[] {0, 0, 1, 1})).isEqualTo(1.0);
        assertThat(RankingMetrics.aucRoc(scores, new int[] {1, 1, 0, 0})).isEqualTo(0.0);
        // Frauds ranked last: precision 1/3 at recall 1/2, 2/4 at recall 1.
        assertThat(RankingMetrics.averagePrecision(scores, new int[] {1, 1, 0, 0}))
                .isCloseTo(0.5 / 3 + 0.5 * 0.5, within(1e-12));
    }

    @Test
    void needsBothClasses() {
        assertThatThrownBy(() -> RankingMetrics.aucRoc(new double[] {0.1, 0.2}, new int[] {0, 0}))
                .hasMessageContaining("got 0 frauds among 2");
        assertThatThrownBy(
                        () -> RankingMetrics.averagePrecision(new double[] {0.1}, new int[] {0, 1}))
                .hasMessageContaining("1 scores for 2 labels");
    }
}
