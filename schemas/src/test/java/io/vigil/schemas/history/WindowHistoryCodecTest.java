package io.vigil.schemas.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.feast.ProtoWire;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowHistoryCodecTest {

    private static final long DAY = 86_400_000L;
    private static final long T = 1_538_265_600_000L; // 2018-09-30T00:00:00Z

    private static WindowHistorySnapshot snapshot(
            long asOf, long completeAfter, long[] times, long[] counts, long[] values) {
        return new WindowHistorySnapshot(asOf, completeAfter, times, counts, values);
    }

    private static WindowHistorySnapshot roundTrip(WindowHistorySnapshot s) {
        return WindowHistoryCodec.decode(WindowHistoryCodec.encode(s));
    }

    @Test
    void pinsTheBytesOfASmallSnapshot() {
        WindowHistorySnapshot s =
                snapshot(
                        10_000,
                        4_000,
                        new long[] {5_000, 7_000},
                        new long[] {1, 2},
                        new long[] {-3, 150});
        // version 1 | asOf 10000 zigzag = 20000 | unit 1000 | span 6 | n 2 | steps 1, 2
        // | counts 1, 2 | values −3 → 5, 150 → 300
        assertThat(HexFormat.of().formatHex(WindowHistoryCodec.encode(s)))
                .isEqualTo("01" + "a09c01" + "e807" + "06" + "02" + "0102" + "0102" + "05ac02");
        assertThat(roundTrip(s)).isEqualTo(s);
    }

    @Test
    void roundTripsEmptyAndExtremeSnapshots() {
        WindowHistorySnapshot empty =
                snapshot(T, T - 30 * DAY, new long[0], new long[0], new long[0]);
        assertThat(roundTrip(empty)).isEqualTo(empty);

        WindowHistorySnapshot extreme =
                snapshot(
                        Long.MAX_VALUE,
                        Long.MIN_VALUE,
                        new long[] {Long.MIN_VALUE + 1, -1, 0, Long.MAX_VALUE},
                        new long[] {1, Long.MAX_VALUE, 3, 4},
                        new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1});
        assertThat(roundTrip(extreme)).isEqualTo(extreme);

        WindowHistorySnapshot beforeEpoch =
                snapshot(
                        -5,
                        -1_000_007,
                        new long[] {-999_999, -6},
                        new long[] {1, 1},
                        new long[] {7, 7});
        assertThat(roundTrip(beforeEpoch)).isEqualTo(beforeEpoch);
    }

    @Test
    void roundTripsRandomHistories() {
        SplittableRandom random = new SplittableRandom(3);
        for (int run = 0; run < 500; run++) {
            int n = random.nextInt(200);
            long step = random.nextBoolean() ? 1_000 : 1;
            long completeAfter = T - random.nextLong(40 * DAY);
            long[] times = new long[n];
            long[] counts = new long[n];
            long[] values = new long[n];
            long t = completeAfter;
            for (int i = 0; i < n; i++) {
                t += step * (1 + random.nextLong(DAY / step));
                times[i] = t;
                counts[i] = 1 + random.nextInt(random.nextBoolean() ? 3 : 100_000);
                values[i] = random.nextLong(-1_000_000, 1_000_000);
            }
            WindowHistorySnapshot s =
                    snapshot(t + random.nextLong(DAY), completeAfter, times, counts, values);
            assertThat(roundTrip(s)).as("run %d", run).isEqualTo(s);
            assertThat(encodedFromARing(s, random))
                    .as("run %d", run)
                    .isEqualTo(WindowHistoryCodec.encode(s));
        }
    }

    /** The snapshot's buckets put in ring buffers of a larger capacity, from a random slot. */
    private static byte[] encodedFromARing(WindowHistorySnapshot s, SplittableRandom random) {
        int capacity = s.size() + random.nextInt(1, 16);
        int start = random.nextInt(capacity);
        long[][] rings = new long[3][capacity];
        for (int i = 0; i < s.size(); i++) {
            int slot = (start + i) % capacity;
            rings[0][slot] = s.times()[i];
            rings[1][slot] = s.counts()[i];
            rings[2][slot] = s.values()[i];
        }
        return WindowHistoryCodec.encode(
                s.asOfMillis(),
                s.completeAfterMillis(),
                rings[0],
                rings[1],
                rings[2],
                start,
                s.size());
    }

    @Test
    void aHandbookCustomerTakesAFewHundredBytes() {
        // ~2 transactions a day at whole seconds for 30 days + 10 min, amounts of 5 to 100 EUR.
        SplittableRandom random = new SplittableRandom(5);
        int n = 60;
        long asOf = T;
        long completeAfter = asOf - 30 * DAY - 600_000;
        long[] times = new long[n];
        long[] counts = new long[n];
        long[] values = new long[n];
        long halfDaySeconds = (asOf - completeAfter) / n / 1000;
        for (int i = 0; i < n; i++) {
            times[i] =
                    completeAfter + (i * halfDaySeconds + random.nextLong(halfDaySeconds)) * 1000;
            counts[i] = 1;
            values[i] = random.nextLong(500, 10_000);
        }
        times[n - 1] = asOf;
        byte[] bytes =
                WindowHistoryCodec.encode(snapshot(asOf, completeAfter, times, counts, values));
        assertThat(bytes.length).isBetween(300, 450);
    }

    @Test
    void rejectsAnUnknownVersionAndEmptyInput() {
        byte[] bytes = WindowHistoryCodec.encode(sample());
        bytes[0] = 2;
        assertThatThrownBy(() -> WindowHistoryCodec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed Vigil window history at byte 1")
                .hasMessageContaining("unsupported version 2");
        assertThatThrownBy(() -> WindowHistoryCodec.decode(new byte[0]))
                .hasMessageContaining("empty");
    }

    @Test
    void rejectsEveryTruncation() {
        byte[] bytes = WindowHistoryCodec.encode(sample());
        for (int length = 1; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> WindowHistoryCodec.decode(cut))
                    .as("first %d of %d bytes", length, bytes.length)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = Arrays.copyOf(WindowHistoryCodec.encode(sample()), 100);
        assertThatThrownBy(() -> WindowHistoryCodec.decode(bytes))
                .hasMessageContaining("trailing bytes");
    }

    @Test
    void rejectsTimesOutOfOrderOrBeyondAsOf() {
        // header: version 1, asOf 10 (zigzag 20), unit 1, span 5, 2 buckets
        byte[] repeated = encoded(10, 1, 5, new long[] {2, 0}, new long[] {1, 1});
        assertThatThrownBy(() -> WindowHistoryCodec.decode(repeated))
                .hasMessageContaining("order: bucket 1 is not after bucket 0");
        byte[] beyond = encoded(10, 1, 5, new long[] {2, 4}, new long[] {1, 1});
        assertThatThrownBy(() -> WindowHistoryCodec.decode(beyond))
                .hasMessageContaining("order: bucket 1 is after asOf 10");
        byte[] noSpan = encoded(10, 1, 0, new long[0], new long[0]);
        assertThatThrownBy(() -> WindowHistoryCodec.decode(noSpan))
                .hasMessageContaining("completeAfter is not before asOf");
        byte[] zeroCount = encoded(10, 1, 5, new long[] {1, 1}, new long[] {1, 0});
        assertThatThrownBy(() -> WindowHistoryCodec.decode(zeroCount))
                .hasMessageContaining("bucket 1 has count 0");
        byte[] overflow = encoded(10, 1L << 40, 1L << 30, new long[0], new long[0]);
        assertThatThrownBy(() -> WindowHistoryCodec.decode(overflow))
                .hasMessageContaining("asOf − completeAfter overflows 64 bits");
        byte[] bucketOverflow = encoded(10, 1L << 40, 1, new long[] {1L << 30}, new long[] {1});
        assertThatThrownBy(() -> WindowHistoryCodec.decode(bucketOverflow))
                .hasMessageContaining("time of bucket 0 overflows 64 bits");
        byte[] tooMany = encoded(10, 1, 5, new long[] {1}, new long[] {1});
        tooMany[4] = 50; // n claims 50 buckets in 3 bytes
        assertThatThrownBy(() -> WindowHistoryCodec.decode(tooMany))
                .hasMessageContaining("truncated: 50 buckets");
    }

    @Test
    void theSnapshotValidatesItsInvariants() {
        long[] one = {1};
        assertThatThrownBy(() -> snapshot(10, 10, new long[0], new long[0], new long[0]))
                .hasMessageContaining("completeAfterMillis 10 must be before asOfMillis 10");
        assertThatThrownBy(() -> snapshot(10, 0, new long[] {1, 2}, one, one))
                .hasMessageContaining("parallel");
        assertThatThrownBy(() -> snapshot(10, 0, new long[] {0}, one, one))
                .hasMessageContaining("bucket 0 at 0 is not after completeAfterMillis 0");
        assertThatThrownBy(
                        () ->
                                snapshot(
                                        10,
                                        0,
                                        new long[] {3, 3},
                                        new long[] {1, 1},
                                        new long[] {0, 0}))
                .hasMessageContaining("bucket 1 at 3 is not after bucket 0 at 3");
        assertThatThrownBy(() -> snapshot(10, 0, new long[] {11}, one, one))
                .hasMessageContaining("after asOfMillis 10");
        assertThatThrownBy(() -> snapshot(10, 0, one, new long[] {0}, one))
                .hasMessageContaining("count 0");
        assertThatThrownBy(() -> snapshot(10, 0, null, one, one)).hasMessageContaining("times");
    }

    @Test
    void theSnapshotCopiesItsInputAndComparesByContent() {
        long[] times = {5};
        WindowHistorySnapshot s = snapshot(10, 0, times, new long[] {1}, new long[] {2});
        times[0] = 6;
        assertThat(s.times()).containsExactly(5);
        assertThat(s).isEqualTo(snapshot(10, 0, new long[] {5}, new long[] {1}, new long[] {2}));
        assertThat(s.hashCode())
                .isEqualTo(
                        snapshot(10, 0, new long[] {5}, new long[] {1}, new long[] {2}).hashCode());
        assertThat(s.size()).isEqualTo(1);
    }

    private static WindowHistorySnapshot sample() {
        return snapshot(
                T,
                T - 37 * DAY - 600_000,
                new long[] {T - 20 * DAY, T - 3 * DAY + 17, T},
                new long[] {1, 4, 2},
                new long[] {0, 3, -1});
    }

    /** Hand-made version-1 bytes, for shapes the encoder never produces; values all 0. */
    private static byte[] encoded(long asOf, long unit, long span, long[] steps, long[] counts) {
        byte[] buf = new byte[100];
        int pos = 0;
        buf[pos++] = 1;
        pos = ProtoWire.putSignedVarint(buf, pos, asOf);
        pos = ProtoWire.putVarint(buf, pos, unit);
        pos = ProtoWire.putVarint(buf, pos, span);
        pos = ProtoWire.putVarint(buf, pos, steps.length);
        for (long s : steps) {
            pos = ProtoWire.putVarint(buf, pos, s);
        }
        for (long c : counts) {
            pos = ProtoWire.putVarint(buf, pos, c);
        }
        return Arrays.copyOf(buf, pos + steps.length);
    }
}
