package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionProfileTest {

    @Test
    void quantileBinsOfOneToTen() {
        double[] values = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        DistributionProfile p = DistributionProfile.of(values, 5);

        // Cut points are the values at ranks floor(0.2 * 9), floor(0.4 * 9), … of the sorted
        // sample.
        assertThat(p.binEdges()).containsExactly(2.0, 4.0, 6.0, 8.0);
        assertThat(p.binCounts()).containsExactly(2L, 2L, 2L, 2L, 2L);
        assertThat(p.count()).isEqualTo(10);
        assertThat(p.mean()).isEqualTo(5.5);
        assertThat(p.min()).isEqualTo(1);
        assertThat(p.max()).isEqualTo(10);
        assertThat(p.quantile(0.5)).isEqualTo(5.5);
        assertThat(p.quantile(0.99)).isCloseTo(9.91, within(1e-12));
        assertThat(p.binOf(2.0)).isEqualTo(0);
        assertThat(p.binOf(2.01)).isEqualTo(1);
        assertThat(p.binOf(-100)).isEqualTo(0);
        assertThat(p.binOf(100)).isEqualTo(4);
    }

    @Test
    void repeatedValuesMergeEdges() {
        double[] flags = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
        DistributionProfile p = DistributionProfile.of(flags, 10);
        assertThat(p.binEdges()).containsExactly(0.0);
        assertThat(p.binCounts()).containsExactly(7L, 3L);

        DistributionProfile constant = DistributionProfile.of(new double[] {4, 4, 4}, 10);
        assertThat(constant.binEdges()).isEmpty();
        assertThat(constant.binCounts()).containsExactly(3L);
    }

    @Test
    void refusesWhatItCannotSummarize() {
        assertThatThrownBy(() -> DistributionProfile.of(new double[0], 10))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> DistributionProfile.of(new double[] {1, Double.NaN}, 10))
                .hasMessageContaining("non-finite");
        assertThatThrownBy(
                        () ->
                                new DistributionProfile(
                                        3, 1, 0, 2, List.of(1.0), List.of(1L, 1L), List.of()))
                .hasMessageContaining("must add up to 3");
    }
}
