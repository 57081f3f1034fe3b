package io.vigil.features.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;
import org.junit.jupiter.api.Test;

/**
 * Flink's serializer contract ({@link SerializerTestBase}: copies, sequences, reuse, duplicates,
 * snapshots) on histories of every shape, plus what this serializer adds: a restored history goes
 * on exactly like the original, it takes a few bytes per bucket, POJO snapshots migrate, and a
 * corrupt one fails with a reason.
 */
class SlidingWindowHistorySerializerTest extends SerializerTestBase<SlidingWindowHistory> {

    private static final long[] WIDTHS = {1_000, 7_000, 30_000};
    private static final long MARGIN = 500;

    @Override
    protected TypeSerializer<SlidingWindowHistory> createSerializer() {
        return SlidingWindowHistorySerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<SlidingWindowHistory> getTypeClass() {
        return SlidingWindowHistory.class;
    }

    @Override
    protected SlidingWindowHistory[] getTestData() {
        SplittableRandom random = new SplittableRandom(7);
        List<SlidingWindowHistory> data = new ArrayList<>();
        data.add(SlidingWindowHistory.create(3));
        data.add(SlidingWindowHistory.create(0));
        data.add(randomHistory(random, 1, -1_000_000, 3));
        for (int events : new int[] {5, 40, 300, 2_000}) {
            data.add(randomHistory(random, events, 1_700_000_000_000L, 3));
        }
        // Everything evicted: no buckets, but windows, last record and timer are state.
        SlidingWindowHistory drained = randomHistory(random, 50, 0, 3);
        drained.advanceTo(drained.lastRecorded + 100_000, 0, WIDTHS, MARGIN);
        data.add(drained);
        SlidingWindowHistory extremes = SlidingWindowHistory.create(3);
        extremes.record(Long.MIN_VALUE + 1, Long.MIN_VALUE);
        extremes.record(Long.MAX_VALUE, Long.MAX_VALUE);
        extremes.expiryTimer = Long.MAX_VALUE;
        data.add(extremes);
        return data.toArray(SlidingWindowHistory[]::new);
    }

    /** Equal when they hold the same logical state, whatever their ring buffers' layout. */
    SlidingWindowHistorySerializerTest() {
        super(
                new DeeplyEqualsChecker()
                        .withCustomCheck(
                                (a, b) ->
                                        a instanceof SlidingWindowHistory
                                                && b instanceof SlidingWindowHistory,
                                (a, b, checker) ->
                                        logical((SlidingWindowHistory) a)
                                                .equals(logical((SlidingWindowHistory) b))));
    }

    @Test
    void aRestoredHistoryGoesOnExactlyLikeTheOriginal() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 50; round++) {
            SlidingWindowHistory original = randomHistory(random, random.nextInt(1, 400), 0, 3);
            SlidingWindowHistory restored = roundTrip(original);
            long time = original.lastRecorded;
            for (int i = 0; i < 300; i++) {
                time += random.nextInt(0, 900);
                long value = random.nextLong(-50, 10_000);
                for (SlidingWindowHistory h : List.of(original, restored)) {
                    h.record(time, value);
                    h.advanceTo(time, 0, WIDTHS, MARGIN);
                }
                long labelled = time - random.nextInt(0, 40_000);
                assertThat(restored.addValueAt(labelled, 1))
                        .isEqualTo(original.addValueAt(labelled, 1));
                assertThat(logical(restored)).isEqualTo(logical(original));
                assertThat(restored.encodedSnapshot(time, time - 31_000, 64))
                        .isEqualTo(original.encodedSnapshot(time, time - 31_000, 64));
            }
        }
    }

    @Test
    void takesAFewBytesPerBucketWhereThePojoSerializerTookTheWholeArrays() throws IOException {
        // A customer as in the handbook data: ~60 transactions 12 h apart, amounts of ~50.00.
        SplittableRandom random = new SplittableRandom(3);
        SlidingWindowHistory h = SlidingWindowHistory.create(3);
        long time = 1_700_000_000_000L;
        for (int i = 0; i < 60; i++) {
            time += random.nextLong(1, 24 * 3_600_000L);
            h.record(time, random.nextLong(100, 10_000));
            h.advanceTo(time, 0, new long[] {86_400_000L, 7 * 86_400_000L, 30 * 86_400_000L}, 0);
        }
        int compact = serialized(SlidingWindowHistorySerializer.INSTANCE, h).length;
        int pojo =
                serialized(
                                Types.POJO(SlidingWindowHistory.class)
                                        .createSerializer(new SerializerConfigImpl()),
                                h)
                        .length;

        assertThat(compact).as("bytes for %d buckets", h.buckets()).isLessThan(10 * h.buckets());
        assertThat(pojo).isGreaterThan(3 * compact);
    }

    @Test
    void migratesFromThePojoSerializersSnapshotAndKeepsItsOwn() {
        SlidingWindowHistorySerializer.Snapshot snapshot =
                new SlidingWindowHistorySerializer.Snapshot();

        TypeSerializerSchemaCompatibility<SlidingWindowHistory> fromPojo =
                snapshot.resolveSchemaCompatibility(
                        Types.POJO(SlidingWindowHistory.class)
                                .createSerializer(new SerializerConfigImpl())
                                .snapshotConfiguration());
        TypeSerializerSchemaCompatibility<SlidingWindowHistory> fromItself =
                snapshot.resolveSchemaCompatibility(new SlidingWindowHistorySerializer.Snapshot());

        assertThat(fromPojo.isCompatibleAfterMigration()).isTrue();
        assertThat(fromItself.isCompatibleAsIs()).isTrue();
    }

    @Test
    void corruptStateFailsWithAReason() throws IOException {
        byte[] bytes = SlidingWindowHistorySerializer.encode(getTestData()[4]);

        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        byte[] newer = bytes.clone();
        newer[0] = 2;

        assertThatThrownBy(() -> SlidingWindowHistorySerializer.decode(truncated))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("sliding window history");
        assertThatThrownBy(() -> SlidingWindowHistorySerializer.decode(trailing))
                .hasMessageContaining("1 trailing bytes");
        assertThatThrownBy(() -> SlidingWindowHistorySerializer.decode(newer))
                .hasMessageContaining("unsupported version 2");
    }

    /** Records {@code events} events from {@code start} with window moves, evictions and labels. */
    private static SlidingWindowHistory randomHistory(
            SplittableRandom random, int events, long start, int windows) {
        SlidingWindowHistory h = SlidingWindowHistory.create(windows);
        long time = start;
        for (int i = 0; i < events; i++) {
            time += random.nextInt(0, 700);
            h.record(time, random.nextLong(-100, 100_000));
            h.advanceTo(time, 0, Arrays.copyOf(WIDTHS, windows), MARGIN);
            if (random.nextInt(5) == 0) {
                h.addValueAt(time - random.nextInt(0, 5_000), 1);
            }
        }
        h.expiryTimer = time + 40_000;
        return h;
    }

    private static SlidingWindowHistory roundTrip(SlidingWindowHistory h) throws IOException {
        DataInputDeserializer in =
                new DataInputDeserializer(serialized(SlidingWindowHistorySerializer.INSTANCE, h));
        return SlidingWindowHistorySerializer.INSTANCE.deserialize(in);
    }

    private static byte[] serialized(
            TypeSerializer<SlidingWindowHistory> serializer, SlidingWindowHistory h)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(h, out);
        return out.getCopyOfBuffer();
    }

    /** Buckets oldest first, window bounds relative to the oldest bucket, sums, record, timer. */
    private static List<Object> logical(SlidingWindowHistory h) {
        List<Object> state = new ArrayList<>();
        for (int i = 0; i < h.size; i++) {
            int slot = h.slot(h.first + i);
            state.add(List.of(h.times[slot], h.counts[slot], h.values[slot]));
        }
        for (int k = 0; k < h.windowStart.length; k++) {
            state.add(
                    List.of(
                            "window " + k,
                            h.windowStart[k] - h.first,
                            h.windowCount[k],
                            h.windowValue[k]));
        }
        state.add(List.of(h.windowEnd - h.first, h.lastRecorded, h.expiryTimer));
        return state;
    }
}
