package io.vigil.features.state;

import io.vigil.schemas.feast.ProtoWire;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link SlidingWindowHistory} to checkpoints with its live buckets only, as varints: the
 * first bucket time, then steps between times, counts and values. Flink's POJO serializer wrote the
 * ring buffers' whole arrays, 24 bytes per slot and 1–4 slots per bucket; this takes about 6–8
 * bytes per bucket (docs/features.md, "State, retention and hot keys"). {@link #copy} (the heap
 * backend's copy-on-write after a checkpoint) also copies the live buckets only.
 *
 * <p>Logical indices are written relative to the oldest bucket, so a restored history starts again
 * at logical index 0. Savepoints written by the POJO serializer (before this one) are read with it
 * and migrated: {@link Snapshot} says {@code compatibleAfterMigration} to a POJO snapshot.
 *
 * <pre>
 * int     length of what follows, in bytes
 * byte    version (1)
 * varint  buckets n, windows k
 * svarint lastRecorded, expiryTimer
 * svarint times[0], then n − 1 × varint times[i] − times[i − 1]
 * n × varint counts, n × svarint values
 * k × varint windowStart − first; varint windowEnd − first
 * k × (svarint windowCount, svarint windowValue)
 * </pre>
 */
public final class SlidingWindowHistorySerializer
        extends TypeSerializerSingleton<SlidingWindowHistory> {

    public static final SlidingWindowHistorySerializer INSTANCE =
            new SlidingWindowHistorySerializer();

    private static final int VERSION = 1;

    private static final String MESSAGE = "Vigil sliding window history state";

    private SlidingWindowHistorySerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SlidingWindowHistory createInstance() {
        return new SlidingWindowHistory();
    }

    @Override
    public SlidingWindowHistory copy(SlidingWindowHistory from) {
        return from.compactCopy();
    }

    @Override
    public SlidingWindowHistory copy(SlidingWindowHistory from, SlidingWindowHistory reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SlidingWindowHistory h, DataOutputView target) throws IOException {
        byte[] bytes = encode(h);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public SlidingWindowHistory deserialize(DataInputView source) throws IOException {
        byte[] bytes = new byte[source.readInt()];
        source.readFully(bytes);
        return decode(bytes);
    }

    @Override
    public SlidingWindowHistory deserialize(SlidingWindowHistory reuse, DataInputView source)
            throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public TypeSerializerSnapshot<SlidingWindowHistory> snapshotConfiguration() {
        return new Snapshot();
    }

    static byte[] encode(SlidingWindowHistory h) {
        int n = h.size;
        int k = h.windowStart.length;
        // Sized exactly in a first pass, so a hot key's history is not copied into a bigger buffer.
        int size =
                1
                        + ProtoWire.varintSize(n)
                        + ProtoWire.varintSize(k)
                        + ProtoWire.signedVarintSize(h.lastRecorded)
                        + ProtoWire.signedVarintSize(h.expiryTimer);
        long previous = 0;
        for (int i = 0; i < n; i++) {
            int slot = h.slot(h.first + i);
            long time = h.times[slot];
            size +=
                    (i == 0
                                    ? ProtoWire.signedVarintSize(time)
                                    : ProtoWire.varintSize(time - previous))
                            + ProtoWire.varintSize(h.counts[slot])
                            + ProtoWire.signedVarintSize(h.values[slot]);
            previous = time;
        }
        for (int w = 0; w < k; w++) {
            size +=
                    ProtoWire.varintSize(h.windowStart[w] - h.first)
                            + ProtoWire.signedVarintSize(h.windowCount[w])
                            + ProtoWire.signedVarintSize(h.windowValue[w]);
        }
        size += ProtoWire.varintSize(h.windowEnd - h.first);

        byte[] buf = new byte[size];
        int pos = 0;
        buf[pos++] = VERSION;
        pos = ProtoWire.putVarint(buf, pos, n);
        pos = ProtoWire.putVarint(buf, pos, k);
        pos = ProtoWire.putSignedVarint(buf, pos, h.lastRecorded);
        pos = ProtoWire.putSignedVarint(buf, pos, h.expiryTimer);
        for (int i = 0; i < n; i++) {
            long time = h.times[h.slot(h.first + i)];
            pos =
                    i == 0
                            ? ProtoWire.putSignedVarint(buf, pos, time)
                            : ProtoWire.putVarint(buf, pos, time - previous);
            previous = time;
        }
        for (int i = 0; i < n; i++) {
            pos = ProtoWire.putVarint(buf, pos, h.counts[h.slot(h.first + i)]);
        }
        for (int i = 0; i < n; i++) {
            pos = ProtoWire.putSignedVarint(buf, pos, h.values[h.slot(h.first + i)]);
        }
        for (int w = 0; w < k; w++) {
            pos = ProtoWire.putVarint(buf, pos, h.windowStart[w] - h.first);
        }
        pos = ProtoWire.putVarint(buf, pos, h.windowEnd - h.first);
        for (int w = 0; w < k; w++) {
            pos = ProtoWire.putSignedVarint(buf, pos, h.windowCount[w]);
            pos = ProtoWire.putSignedVarint(buf, pos, h.windowValue[w]);
        }
        return buf;
    }

    /**
     * @throws IOException naming the byte and what is wrong, so a corrupt checkpoint fails its
     *     restore with a reason instead of yielding wrong features
     */
    static SlidingWindowHistory decode(byte[] bytes) throws IOException {
        ProtoWire.Reader in = new ProtoWire.Reader(bytes, MESSAGE);
        try {
            int version = in.readByte();
            if (version != VERSION) {
                throw in.malformed(
                        "unsupported version " + version + " (this reader knows " + VERSION + ")");
            }
            int n = count(in, in.readVarint(), "buckets");
            int k = count(in, in.readVarint(), "windows");
            SlidingWindowHistory h = SlidingWindowHistory.create(k, n);
            h.lastRecorded = in.readSignedVarint();
            h.expiryTimer = in.readSignedVarint();
            for (int i = 0; i < n; i++) {
                h.times[i] = i == 0 ? in.readSignedVarint() : h.times[i - 1] + in.readVarint();
            }
            for (int i = 0; i < n; i++) {
                h.counts[i] = in.readVarint();
            }
            for (int i = 0; i < n; i++) {
                h.values[i] = in.readSignedVarint();
            }
            for (int w = 0; w < k; w++) {
                h.windowStart[w] = index(in, in.readVarint(), n, "window " + w + " start");
            }
            h.windowEnd = index(in, in.readVarint(), n, "window end");
            for (int w = 0; w < k; w++) {
                h.windowCount[w] = in.readSignedVarint();
                h.windowValue[w] = in.readSignedVarint();
            }
            h.size = n;
            if (in.hasMore()) {
                throw in.malformed(in.remaining() + " trailing bytes");
            }
            return h;
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static int count(ProtoWire.Reader in, long value, String what) {
        if (value < 0 || value > in.remaining()) {
            throw in.malformed(what + " " + Long.toUnsignedString(value) + " cannot fit");
        }
        return (int) value;
    }

    private static long index(ProtoWire.Reader in, long value, int buckets, String what) {
        if (value < 0 || value > buckets) {
            throw in.malformed(
                    what
                            + " "
                            + Long.toUnsignedString(value)
                            + " is beyond "
                            + buckets
                            + " buckets");
        }
        return value;
    }

    /**
     * Restores this serializer; reads a POJO-serialized history (savepoints from before it) by
     * migration.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SlidingWindowHistory> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<SlidingWindowHistory> resolveSchemaCompatibility(
                TypeSerializerSnapshot<SlidingWindowHistory> oldSerializerSnapshot) {
            if (oldSerializerSnapshot instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSerializerSnapshot);
        }
    }
}
