package io.vigil.schemas.feast;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * The few pieces of the protobuf wire format that {@code feast.types.Value} and {@code
 * google.protobuf.Timestamp} need, written by hand so the schemas module carries no protobuf
 * runtime.
 */
final class ProtoWire {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private ProtoWire() {}

    static void writeTag(ByteArrayOutputStream out, int field, int wireType) {
        writeVarint(out, ((long) field << 3) | wireType);
    }

    /** Unsigned base-128 varint; negative int32/int64 values take 10 bytes, as in protobuf. */
    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
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
    static final class Reader {
        private final byte[] buf;
        private final String message;
        private int pos;

        Reader(byte[] buf, String message) {
            this.buf = buf;
            this.message = message;
        }

        boolean hasMore() {
            return pos < buf.length;
        }

        long readVarint() {
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

        IllegalArgumentException malformed(String what) {
            return new IllegalArgumentException(
                    "malformed "
                            + message
                            + " at byte "
                            + pos
                            + ": "
                            + what
                            + " (bytes "
                            + HexFormat.of().formatHex(buf)
                            + ")");
        }

        private int next() {
            if (pos >= buf.length) {
                throw malformed("truncated");
            }
            return buf[pos++] & 0xFF;
        }
    }
}
