package io.vigil.features.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SlidingWindowHistoryTest {

    private static final long[] WIDTHS = {10, 100};

    @Test
    void windowIncludesNowAndExcludesExactlyOneWidthEarlier() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(0, 5);
        h.advanceTo(0, 0, WIDTHS, 0);
        h.record(10, 7);
        h.advanceTo(10, 0, WIDTHS, 0);

        assertThat(h.windowCount(0)).isEqualTo(1);
        assertThat(h.windowValue(0)).isEqualTo(7);
        assertThat(h.windowCount(1)).isEqualTo(2);
        assertThat(h.windowValue(1)).isEqualTo(12);
    }

    @Test
    void equalTimesShareABucketAndCountInOrder() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(3, 1);
        h.advanceTo(3, 0, WIDTHS, 0);
        assertThat(h.windowCount(0)).isEqualTo(1);
        h.record(3, 2);
        h.advanceTo(3, 0, WIDTHS, 0);

        assertThat(h.windowCount(0)).isEqualTo(2);
        assertThat(h.windowValue(0)).isEqualTo(3);
        assertThat(h.buckets()).isEqualTo(1);
    }

    @Test
    void laggedWindowsLetBucketsInOnlyAfterTheLag() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(0, 0);
        h.advanceTo(0, 5, WIDTHS, 0);
        assertThat(h.windowCount(0)).isZero();

        h.advanceTo(4, 5, WIDTHS, 0);
        assertThat(h.windowCount(0)).isZero();
        h.advanceTo(5, 5, WIDTHS, 0);
        assertThat(h.windowCount(0)).isEqualTo(1);
        h.advanceTo(14, 5, WIDTHS, 0);
        assertThat(h.windowCount(0)).isEqualTo(1);
        h.advanceTo(15, 5, WIDTHS, 0);
        assertThat(h.windowCount(0)).isZero();
        assertThat(h.windowCount(1)).isEqualTo(1);
    }

    @Test
    void valuesAddedToHeldBucketsReachTheWindowsHoldingThem() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(0, 0);
        h.record(20, 0);
        h.advanceTo(25, 5, WIDTHS, 0);
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
            h.advanceTo(t, 0, WIDTHS, 0);
        }
        assertThat(h.buckets()).isEqualTo(100);
        assertThat(h.times.length).isLessThanOrEqualTo(256);

        h.record(10_000, 1);
        h.advanceTo(10_000, 0, WIDTHS, 0);
        assertThat(h.buckets()).isEqualTo(1);
        assertThat(h.times.length).isLessThanOrEqualTo(16);
        assertThat(h.addValueAt(999, 1)).isFalse();
    }

    @Test
    void theMarginKeepsBucketsThatMuchLongerOutsideEveryWindow() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(0, 5);
        h.advanceTo(0, 0, WIDTHS, 5);
        h.advanceTo(104, 0, WIDTHS, 5);
        // Out of both windows, (94, 104] and (4, 104], but within the margin.
        assertThat(h.windowCount(1)).isZero();
        assertThat(h.buckets()).isEqualTo(1);
        assertThat(h.addValueAt(0, 1)).as("a label still finds it").isTrue();
        assertThat(h.windowValue(1)).as("but no window holds it").isZero();

        h.advanceTo(105, 0, WIDTHS, 5);
        assertThat(h.buckets()).isZero();
        assertThat(h.addValueAt(0, 1)).isFalse();
    }

    @Test
    void aLaggedHistoryKeepsTheMarginBeyondItsLaggedWindows() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        h.record(0, 0);
        h.advanceTo(111, 7, WIDTHS, 5); // horizon 111 − 7 − 100 − 5 = −1
        assertThat(h.buckets()).isEqualTo(1);
        h.advanceTo(112, 7, WIDTHS, 5);
        assertThat(h.buckets()).isZero();
    }

    @Test
    void snapshotsHoldExactlyTheBucketsBetweenCompleteAfterAndAsOf() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        for (long t = 10; t <= 50; t += 10) {
            h.record(t, t / 10);
            h.record(t, 100);
        }
        h.advanceTo(50, 0, WIDTHS, 0);
        h.addValueAt(30, 7);

        WindowHistorySnapshot s = snapshot(h, 45, 15, 100);
        assertThat(s.asOfMillis()).isEqualTo(45);
        assertThat(s.completeAfterMillis()).isEqualTo(15);
        assertThat(s.times()).containsExactly(20, 30, 40);
        assertThat(s.counts()).containsExactly(2, 2, 2);
        assertThat(s.values()).containsExactly(102, 110, 104);

        assertThat(snapshot(h, 50, 50 - 100, 100).times()).containsExactly(10, 20, 30, 40, 50);
        assertThat(snapshot(h, 5, 0, 100).size()).isZero();
    }

    @Test
    void aSnapshotOfAHotKeyKeepsTheNewestBucketsAndSaysFromWhenItIsComplete() {
        SlidingWindowHistory h = SlidingWindowHistory.create(2);
        for (long t = 1; t <= 10; t++) {
            h.record(t, t);
        }
        WindowHistorySnapshot s = snapshot(h, 10, 0, 3);
        assertThat(s.times()).containsExactly(8, 9, 10);
        assertThat(s.values()).containsExactly(8, 9, 10);
        assertThat(s.completeAfterMillis()).as("the newest dropped bucket").isEqualTo(7);
        assertThat(snapshot(h, 10, 7, 3).completeAfterMillis()).isEqualTo(7);
        assertThat(h.buckets()).as("the history itself keeps everything").isEqualTo(10);
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
            long margin = random.nextInt(3) * 13;
            SlidingWindowHistory h = SlidingWindowHistory.create(2);
            List<long[]> events = new ArrayList<>(); // time, value
            long t = 0;
            for (int i = 0; i < 400; i++) {
                t += random.nextInt(4) == 0 ? 0 : random.nextInt(30);
                long value = random.nextInt(1_000);
                h.record(t, value);
                h.advanceTo(t, lag, WIDTHS, margin);
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
                // The snapshot as of t holds every event after t − lag − widest − margin.
                long completeAfter = t - lag - WIDTHS[1] - margin;
                WindowHistorySnapshot s = snapshot(h, t, completeAfter, 1_000);
                TreeMap<Long, long[]> buckets = new TreeMap<>();
                for (long[] e : events) {
                    if (e[0] > completeAfter) {
                        long[] b = buckets.computeIfAbsent(e[0], time -> new long[2]);
                        b[0]++;
                        b[1] += e[1];
                    }
                }
                assertThat(s.times())
                        .as("run %d event %d snapshot", run, i)
                        .containsExactly(
                                buckets.keySet().stream().mapToLong(Long::longValue).toArray());
                assertThat(s.counts())
                        .containsExactly(buckets.values().stream().mapToLong(b -> b[0]).toArray());
                assertThat(s.values())
                        .containsExactly(buckets.values().stream().mapToLong(b -> b[1]).toArray());
            }
        }
    }

    /** Decoding checks the encoded snapshot against the snapshot's own rules as well. */
    private static WindowHistorySnapshot snapshot(
            SlidingWindowHistory h, long asOf, long completeAfter, int maxBuckets) {
        return WindowHistoryCodec.decode(h.encodedSnapshot(asOf, completeAfter, maxBuckets));
    }
}
