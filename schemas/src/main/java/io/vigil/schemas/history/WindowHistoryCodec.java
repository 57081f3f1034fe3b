package io.vigil.schemas.history;

import io.vigil.schemas.feast.ProtoWire;

/**
 * The compact binary form of a {@link WindowHistorySnapshot}, the value of the Redis field {@code
 * _vigil_history:<view>}. Varints are protobuf's (unsigned base 128; signed ones zigzag):
 *
 * <pre>
 * byte    version (1)
 * svarint asOfMillis
 * varint  unit: a step in ms that divides every time difference below (≥ 1)
 * varint  (asOfMillis − completeAfterMillis) / unit                        ≥ 1
 * varint  n, the number of buckets
 * n ×  varint  (times[i] − times[i − 1]) / unit, times[−1] = completeAfterMillis   ≥ 1
 * n ×  varint  counts[i]                                                  ≥ 1
 * n × svarint  values[i]
 * </pre>
 *
 * The encoder writes a unit of 1000 when every difference is whole seconds (as in the handbook
 * data), else 1, so a gap of a day takes 3 bytes instead of 4; the decoder takes any unit. A
 * handbook customer (~60 buckets of one transaction) takes about 400 bytes. Differences are taken
 * modulo 2^64, so any {@code long} times round-trip.
 */
public final class WindowHistoryCodec {

    public static final int VERSION = 1;

    private static final String MESSAGE = "Vigil window history";

    /** The smallest bucket: one byte each for time step, count and value. */
    private static final int MIN_BUCKET_BYTES = 3;

    /** In {@link #scaled}'s messages: the span asOf − completeAfter, not a bucket's time. */
    private static final int SPAN = -1;

    private WindowHistoryCodec() {}

    public static byte[] encode(WindowHistorySnapshot s) {
        return encode(
                s.asOfMillis(),
                s.completeAfterMillis(),
                s.times(),
                s.counts(),
                s.values(),
                0,
                s.size());
    }

    /**
     * The bytes {@link #encode(WindowHistorySnapshot)} gives for the snapshot of {@code n} buckets
     * read from {@code start} in parallel ring buffers (index {@code times.length} wraps to 0),
     * without copying them into a snapshot first: the feature job encodes one for every row it
     * writes. The buckets are not validated here (the snapshot's rules apply; the decoder checks
     * them).
     */
    public static byte[] encode(
            long asOf,
            long completeAfter,
            long[] times,
            long[] counts,
            long[] values,
            int start,
            int n) {
        int capacity = times.length;
        long span = asOf - completeAfter;
        // The encoder only picks whole seconds or milliseconds (the decoder takes any unit): a
        // division by a constant is a multiplication, and this runs for every row the job writes.
        boolean seconds = isWholeSeconds(span);
        long previous = completeAfter;
        for (int i = 0, at = start; i < n && seconds; i++, at = next(at, capacity)) {
            seconds = isWholeSeconds(times[at] - previous);
            previous = times[at];
        }
        long unit = seconds ? 1_000 : 1;
        long scaledSpan = seconds ? inSeconds(span) : span;
        // Sized exactly in a first pass: no oversized buffer to trim and copy.
        int size =
                1
                        + ProtoWire.signedVarintSize(asOf)
                        + ProtoWire.varintSize(unit)
                        + ProtoWire.varintSize(scaledSpan)
                        + ProtoWire.varintSize(n);
        previous = completeAfter;
        for (int i = 0, at = start; i < n; i++, at = next(at, capacity)) {
            long step = times[at] - previous;
            size +=
                    ProtoWire.varintSize(seconds ? inSeconds(step) : step)
                            + ProtoWire.varintSize(counts[at])
                            + ProtoWire.signedVarintSize(values[at]);
            previous = times[at];
        }
        byte[] buf = new byte[size];
        int pos = 0;
        buf[pos++] = VERSION;
        pos = ProtoWire.putSignedVarint(buf, pos, asOf);
        pos = ProtoWire.putVarint(buf, pos, unit);
        pos = ProtoWire.putVarint(buf, pos, scaledSpan);
        pos = ProtoWire.putVarint(buf, pos, n);
        previous = completeAfter;
        for (int i = 0, at = start; i < n; i++, at = next(at, capacity)) {
            long step = times[at] - previous;
            pos = ProtoWire.putVarint(buf, pos, seconds ? inSeconds(step) : step);
            previous = times[at];
        }
        for (int i = 0, at = start; i < n; i++, at = next(at, capacity)) {
            pos = ProtoWire.putVarint(buf, pos, counts[at]);
        }
        for (int i = 0, at = start; i < n; i++, at = next(at, capacity)) {
            pos = ProtoWire.putSignedVarint(buf, pos, values[at]);
        }
        return buf;
    }

    private static int next(int index, int capacity) {
        return index + 1 == capacity ? 0 : index + 1;
    }

    /**
     * @throws IllegalArgumentException saying what is wrong (version, truncation, order, counts,
     *     trailing bytes) and at which byte
     */
    public static WindowHistorySnapshot decode(byte[] bytes) {
        ProtoWire.Reader in = new ProtoWire.Reader(bytes, MESSAGE);
        if (!in.hasMore()) {
            throw in.malformed("empty (no version byte)");
        }
        int version = in.readByte();
        if (version != VERSION) {
            throw in.malformed(
                    "unsupported version " + version + " (this reader knows " + VERSION + ")");
        }
        long asOf = in.readSignedVarint();
        long unit = in.readVarint();
        if (unit == 0) {
            throw in.malformed("time unit 0");
        }
        long span = scaled(in, in.readVarint(), unit, SPAN);
        long completeAfter = asOf - span;
        if (span == 0 || completeAfter > asOf) {
            throw in.malformed("completeAfter is not before asOf " + asOf);
        }
        long n = in.readVarint();
        if (n < 0 || n > in.remaining() / MIN_BUCKET_BYTES) {
            throw in.malformed(
                    "truncated: "
                            + Long.toUnsignedString(n)
                            + " buckets need at least "
                            + MIN_BUCKET_BYTES
                            + " bytes each, "
                            + in.remaining()
                            + " left");
        }
        long[] times = new long[(int) n];
        long previous = completeAfter;
        long left = span; // asOf − previous, unsigned
        for (int i = 0; i < n; i++) {
            long step = scaled(in, in.readVarint(), unit, i);
            if (step == 0) {
                throw in.malformed(
                        "order: bucket "
                                + i
                                + " is not after "
                                + (i == 0 ? "completeAfter" : "bucket " + (i - 1)));
            }
            if (Long.compareUnsigned(step, left) > 0) {
                throw in.malformed("order: bucket " + i + " is after asOf " + asOf);
            }
            previous += step;
            left -= step;
            times[i] = previous;
        }
        long[] counts = new long[(int) n];
        for (int i = 0; i < n; i++) {
            counts[i] = in.readVarint();
            if (counts[i] < 1) {
                throw in.malformed(
                        "bucket " + i + " has count " + Long.toUnsignedString(counts[i]));
            }
        }
        long[] values = new long[(int) n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readSignedVarint();
        }
        if (in.hasMore()) {
            throw in.malformed(in.remaining() + " trailing bytes");
        }
        return WindowHistorySnapshot.decoded(asOf, completeAfter, times, counts, values);
    }

    /**
     * {@code steps × unit} in milliseconds, refusing a product beyond 64 bits; {@code bucket} says
     * which time it is in the message ({@link #SPAN} for asOf − completeAfter). The message is
     * built only on failure: this runs for every bucket of every snapshot the scoring job reads.
     */
    private static long scaled(ProtoWire.Reader in, long steps, long unit, int bucket) {
        if (Long.compareUnsigned(steps, Long.divideUnsigned(-1L, unit)) > 0) {
            throw in.malformed(
                    (bucket == SPAN ? "asOf − completeAfter" : "time of bucket " + bucket)
                            + " overflows 64 bits");
        }
        return steps * unit;
    }

    /** Whether an unsigned difference of milliseconds is a whole number of seconds. */
    private static boolean isWholeSeconds(long unsignedMillis) {
        return unsignedMillis >= 0
                ? unsignedMillis % 1_000 == 0
                : Long.remainderUnsigned(unsignedMillis, 1_000) == 0;
    }

    private static long inSeconds(long unsignedMillis) {
        return unsignedMillis >= 0
                ? unsignedMillis / 1_000
                : Long.divideUnsigned(unsignedMillis, 1_000);
    }
}
