package io.vigil.schemas.feast;

import java.io.ByteArrayOutputStream;
import java.time.Instant;

/**
 * Serializes {@code google.protobuf.Timestamp} (seconds = field 1, nanos = field 2, both varints
 * omitted when 0), the value Feast stores in the {@code _ts:<feature_view>} hash field.
 */
public final class ProtoTimestampCodec {
    private static final String MESSAGE = "google.protobuf.Timestamp";

    private ProtoTimestampCodec() {}

    public static byte[] encode(long seconds, int nanos) {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanos must be in [0, 999999999], got " + nanos);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(12);
        if (seconds != 0) {
            ProtoWire.writeTag(out, 1, ProtoWire.VARINT);
            ProtoWire.writeVarint(out, seconds);
        }
        if (nanos != 0) {
            ProtoWire.writeTag(out, 2, ProtoWire.VARINT);
            ProtoWire.writeVarint(out, nanos);
        }
        return out.toByteArray();
    }

    public static byte[] encode(Instant t) {
        return encode(t.getEpochSecond(), t.getNano());
    }

    public static byte[] encodeEpochMillis(long epochMillis) {
        return encode(Instant.ofEpochMilli(epochMillis));
    }

    public static Instant decode(byte[] bytes) {
        ProtoWire.Reader in = new ProtoWire.Reader(bytes, MESSAGE);
        long seconds = 0;
        long nanos = 0;
        while (in.hasMore()) {
            long tag = in.readVarint();
            if (tag == (1 << 3 | ProtoWire.VARINT)) {
                seconds = in.readVarint();
            } else if (tag == (2 << 3 | ProtoWire.VARINT)) {
                nanos = in.readVarint();
            } else {
                throw in.malformed("unexpected tag " + tag);
            }
        }
        if (nanos < 0 || nanos > 999_999_999) {
            throw in.malformed("nanos out of range: " + nanos);
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
