package io.vigil.features.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlidingWindowHistoryTest {

    private static final long[] WIDTHS = {10, 100};

    @Test
    void windowIncludesNowAndExcludesExactlyOneWidthEarlier() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(0, 5);
        h.advanceTo(0, 0, WIDTHS);
        h.record(10, 7);
        h.advanceTo(10, 0, WIDTHS);

        assertThat(h.windowCount(0)).isEqualTo(1);
        assertThat(h.windowValue(0)).isEqualTo(7);
        assertThat(h.windowCount(1)).isEqualTo(2);
        assertThat(h.windowValue(1)).isEqualTo(12);
    }

    @Test
    void equalTimesShareABucketAndCountInOrder() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(3, 1);
        h.advanceTo(3, 0, WIDTHS);
        assertThat(h.windowCount(0)).isEqualTo(1);
        h.record(3, 2);
        h.advanceTo(3, 0, WIDTHS);

        assertThat(h.windowCount(0)).isEqualTo(2);
        assertThat(h.windowValue(0)).isEqualTo(3);
        assertThat(h.buckets()).isEqualTo(1);
    }

    @Test
    void laggedWindowsLetBucketsInOnlyAfterTheLag() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(0, 0);
        h.advanceTo(0, 5, WIDTHS);
        assertThat(h.windowCount(0)).isZero();

        h.advanceTo(4, 5, WIDTHS);
        assertThat(h.windowCount(0)).isZero();
        h.advanceTo(5, 5, WIDTHS);
        assertThat(h.windowCount(0)).isEqualTo(1);
        h.advanceTo(14, 5, WIDTHS);
        assertThat(h.windowCount(0)).isEqualTo(1);
        h.advanceTo(15, 5, WIDTHS);
        assertThat(h.windowCount(0)).isZero();
        assertThat(h.windowCount(1)).isEqualTo(1);
    }

    @Test
    void valuesAddedToHeldBucketsReachTheWindowsHoldingThem() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(0, 0);
        h.record(20, 0);
        h.advanceTo(25, 5, WIDTHS);
        // Windows are (10, 20] and (−80, 20]: bucket 0 is only in the wide one, bucket 20 in both.

        assertThat(h.addValueAt(0, 1)).isTrue();
        assertThat(h.addValueAt(20, 1)).isTrue();
        assertThat(h.addValueAt(7, 1)).isFalse();

        assertThat(h.windowValue(0)).isEqualTo(1);
        assertThat(h.windowValue(1)).isEqualTo(2);
    }

    @Test
    void bucketsBeyondTheWidestWindowAreEvictedAndTheBufferShrinks() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        for (long t = 0; t < 1_000; t++) {
            h.record(t, 1);
            h.advanceTo(t, 0, WIDTHS);
        }
        assertThat(h.buckets()).isEqualTo(100);
        assertThat(h.times.length).isLessThanOrEqualTo(256);

        h.record(10_000, 1);
        h.advanceTo(10_000, 0, WIDTHS);
        assertThat(h.buckets()).isEqualTo(1);
        assertThat(h.times.length).isLessThanOrEqualTo(16);
        assertThat(h.addValueAt(999, 1)).isFalse();
    }

    @Test
    void timeGoingBackwardsIsRefused() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(10, 1);
        assertThatThrownBy(() -> h.record(9, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("9 after 10");
    }

    @Test
    void matchesBruteForceOnRandomStreams() {
        SplittableRandom random = new SplittableRandom(42);
        for (int run = 0; run < 50; run++) {
            long lag = random.nextInt(3) * 7;
            SlidingWindowHistory h = SlidingWindowHistory.create(2);
            List<long[]> events = new ArrayList<>(); // time, value
            long t = 0;
            for (int i = 0; i < 400; i++) {
                t += random.nextInt(4) == 0 ? 0 : random.nextInt(30);
                long value = random.nextInt(1_000);
                h.record(t, value);
                h.advanceTo(t, lag, WIDTHS);
                events.add(new long[] {t, value});
                if (random.nextInt(5) == 0 && !events.isEmpty()) {
                    long[] target = events.get(random.nextInt(events.size()));
                    if (h.addValueAt(target[0], 1)) {
                        target[1] += 1;
                    }
                }
                for (int k = 0; k < WIDTHS.length; k++) {
                    long count = 0;
                    long sum = 0;
                    for (long[] e : events) {
                        if (e[0] > t - lag - WIDTHS[k] && e[0] <= t - lag) {
                            count++;
                            sum += e[1];
                        }
                    }
                    assertThat(h.windowCount(k))
                            .as("run %d event %d window %d", run, i, k)
                            .isEqualTo(count);
                    assertThat(h.windowValue(k))
                            .as("run %d event %d window %d", run, i, k)
                            .isEqualTo(sum);
                }
            }
        }
    }
}
