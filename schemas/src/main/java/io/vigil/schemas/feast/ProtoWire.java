package io.vigil.schemas.feast;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * The few pieces of the protobuf wire format that {@code feast.types.Value} and {@code
 * google.protobuf.Timestamp} need, written by hand so the schemas module carries no protobuf
 * runtime. Public for the varints of {@code io.vigil.schemas.history.WindowHistoryCodec}.
 */
public final class ProtoWire {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /** Error messages show at most this many bytes of the input. */
    private static final int MAX_DUMP_BYTES = 64;

    private ProtoWire() {}

    static void writeTag(ByteArrayOutputStream out, int field, int wireType) {
        writeVarint(out, ((long) field << 3) | wireType);
    }

    /** The most bytes one varint takes. */
    public static final int MAX_VARINT_BYTES = 10;

    /** Unsigned base-128 varint; negative int32/int64 values take 10 bytes, as in protobuf. */
    public static void writeVarint(ByteArrayOutputStream out, long v) {
        byte[] bytes = new byte[MAX_VARINT_BYTES];
        out.write(bytes, 0, putVarint(bytes, 0, v));
    }

    /**
     * Writes {@code v} as a varint into {@code buf} at {@code pos} (room for {@link
     * #MAX_VARINT_BYTES} needed) and returns the position after it; for encoders that size their
     * buffer once.
     */
    public static int putVarint(byte[] buf, int pos, long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return pos;
    }

    /** Zigzag varint (protobuf sint64): small magnitudes of either sign take few bytes. */
    public static int putSignedVarint(byte[] buf, int pos, long v) {
        return putVarint(buf, pos, zigzag(v));
    }

    /** The number of bytes {@link #putVarint} writes for {@code v}. */
    public static int varintSize(long v) {
        return (63 - Long.numberOfLeadingZeros(v | 1)) / 7 + 1;
    }

    /** The number of bytes {@link #putSignedVarint} writes for {@code v}. */
    public static int signedVarintSize(long v) {
        return varintSize(zigzag(v));
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static void writeFixed64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    static void writeFixed32(ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
    }

    /** Sequential reader over one serialized message; errors name the message and byte offset. */
    public static final class Reader {
        private final byte[] buf;
        private final String message;
        private int pos;

        /** {@code message} names what is read, in error messages. */
        public Reader(byte[] buf, String message) {
            this.buf = buf;
            this.message = message;
        }

        public boolean hasMore() {
            return pos < buf.length;
        }

        /** Bytes left to read. */
        public int remaining() {
            return buf.length - pos;
        }

        public int readByte() {
            return next();
        }

        public long readVarint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = next();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw malformed("varint longer than 10 bytes");
        }

        /** The inverse of {@link ProtoWire#writeSignedVarint}. */
        public long readSignedVarint() {
            long v = readVarint();
            return (v >>> 1) ^ -(v & 1);
        }

        long readFixed64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (long) next() << (8 * i);
            }
            return v;
        }

        int readFixed32() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v |= next() << (8 * i);
            }
            return v;
        }

        byte[] readLengthDelimited() {
            long len = readVarint();
            if (len < 0 || len > buf.length - pos) {
                throw malformed("length " + len + " runs past the end");
            }
            byte[] out = new byte[(int) len];
            System.arraycopy(buf, pos, out, 0, out.length);
            pos += out.length;
            return out;
        }

        /** An error naming the message, the current byte offset and {@code what}. */
        public IllegalArgumentException malformed(String what) {
            String dump =
                    buf.length <= MAX_DUMP_BYTES
                            ? "bytes " + HexFormat.of().formatHex(buf)
                            : "first "
                                    + MAX_DUMP_BYTES
                                    + " of "
                                    + buf.length
                                    + " bytes "
                                    + HexFormat.of().formatHex(buf, 0, MAX_DUMP_BYTES);
            return new IllegalArgumentException(
                    "malformed " + message + " at byte " + pos + ": " + what + " (" + dump + ")");
        }

        private int next() {
            if (pos >= buf.length) {
                throw malformed("truncated");
            }
            return buf[pos++] & 0xFF;
        }
    }
}
