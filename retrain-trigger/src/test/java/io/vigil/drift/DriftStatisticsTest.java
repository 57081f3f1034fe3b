package io.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.models.DistributionProfile;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftStatisticsTest {

    @Test
    void identicalSharesHaveNoDrift() {
        long[] reference = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
        long[] sameShares = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10};

        assertThat(DriftStatistics.psi(reference, reference)).isZero();
        assertThat(DriftStatistics.binnedKs(reference, reference)).isZero();
        assertThat(DriftStatistics.psi(reference, sameShares)).isCloseTo(0, within(1e-15));
        assertThat(DriftStatistics.binnedKs(reference, sameShares)).isCloseTo(0, within(1e-15));
    }

    @Test
    void matchesHandComputedValues() {
        // Shares 0.5/0.5 against 0.25/0.75: -0.25·ln 0.5 + 0.25·ln 1.5; one edge, gap 0.25.
        assertThat(DriftStatistics.psi(new long[] {50, 50}, new long[] {25, 75}))
                .isCloseTo(0.274653072, within(1e-9));
        assertThat(DriftStatistics.binnedKs(new long[] {50, 50}, new long[] {25, 75}))
                .isCloseTo(0.25, within(1e-12));

        // Cumulative shares at the three edges: 0.1, 0.3, 0.6 against 0.4, 0.7, 0.9.
        long[] rising = {10, 20, 30, 40};
        long[] falling = {40, 30, 20, 10};
        assertThat(DriftStatistics.binnedKs(rising, falling)).isCloseTo(0.4, within(1e-12));
        // 2·(0.3·ln 4 + 0.1·ln 1.5).
        assertThat(DriftStatistics.psi(rising, falling)).isCloseTo(0.912869638, within(1e-9));
    }

    @Test
    void emptyBinsCountAtTheEpsilonShare() {
        // Reference shares 1 and 1e-4 (empty), live 0.5 and 0.5:
        // (0.5 - 1)·ln(0.5) + (0.5 - 1e-4)·ln(0.5 / 1e-4).
        double psi = DriftStatistics.psi(new long[] {100, 0}, new long[] {50, 50});
        assertThat(psi).isFinite().isCloseTo(4.6043185, within(1e-6));
        // A bin empty in both adds nothing.
        assertThat(DriftStatistics.psi(new long[] {5, 0, 5}, new long[] {50, 0, 50}))
                .isCloseTo(0, within(1e-15));
        // A live window missing a 10 % bin entirely: (1e-4 - 0.1)·ln(1e-4 / 0.1) + the rest.
        long[] deciles = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
        long[] lostOne = {0, 10, 10, 10, 10, 10, 10, 10, 10, 10};
        double lost =
                (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + 9 * (1.0 / 9 - 0.1) * Math.log(10.0 / 9);
        assertThat(DriftStatistics.psi(deciles, lostOne)).isCloseTo(lost, within(1e-12));
    }

    @Test
    void aShiftedDistributionScoresFarAboveTheDefaultThresholds() {
        long[] deciles = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
        long[] topTwo = {0, 0, 0, 0, 0, 0, 0, 0, 50, 50};

        assertThat(DriftStatistics.psi(deciles, topTwo)).isGreaterThan(3);
        assertThat(DriftStatistics.binnedKs(deciles, topTwo)).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void samplingNoiseOfOneThousandValuesStaysWellBelowTheDefaultThresholds() {
        Random random = new Random(7);
        DistributionProfile reference = DistributionProfile.of(gaussians(random, 50_000), 10);
        long[] referenceCounts =
                reference.binCounts().stream().mapToLong(Long::longValue).toArray();
        for (int trial = 0; trial < 20; trial++) {
            long[] live = new long[referenceCounts.length];
            for (double v : gaussians(random, 1_000)) {
                live[reference.binOf(v)]++;
            }
            assertThat(DriftStatistics.psi(referenceCounts, live)).isLessThan(0.05);
            assertThat(DriftStatistics.binnedKs(referenceCounts, live)).isLessThan(0.06);
        }
    }

    @Test
    void aSingleBinHasNoDrift() {
        assertThat(DriftStatistics.psi(new long[] {7}, new long[] {3})).isZero();
        assertThat(DriftStatistics.binnedKs(new long[] {7}, new long[] {3})).isZero();
    }

    @Test
    void rejectsBinsThatDoNotMatchOrHoldNothing() {
        assertThatThrownBy(() -> DriftStatistics.psi(new long[] {1, 2}, new long[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differ in length");
        assertThatThrownBy(() -> DriftStatistics.binnedKs(new long[] {1, 2}, new long[] {0, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no values");
        assertThatThrownBy(() -> DriftStatistics.psi(new long[] {1, -1}, new long[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    private static double[] gaussians(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }
}
