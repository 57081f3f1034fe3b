package io.vigil.cli.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RollingCountsTest {

    @Test
    void aBucketIsReusedOnlyByALaterSecondAndTotalsCoverTheAskedSpan() {
        RollingCounts counts = new RollingCounts(10);
        counts.add(100, true, false, false);
        counts.add(100, false, true, true);
        counts.add(105, false, true, false);

        assertThat(counts.totals(100, 109)).isEqualTo(new RollingCounts.Totals(3, 1, 2, 1));
        assertThat(counts.totals(101, 109)).isEqualTo(new RollingCounts.Totals(1, 0, 1, 0));

        counts.add(110, false, false, false); // second 100's bucket now holds 110
        counts.add(100, true, true, true); // too old for the ring: ignored
        assertThat(counts.totals(100, 110)).isEqualTo(new RollingCounts.Totals(2, 0, 1, 0));
        assertThat(counts.totals(110, 110).errorRate()).isZero();
        assertThat(new RollingCounts.Totals(4, 1, 0, 0).declineRate()).isZero();
    }
}
