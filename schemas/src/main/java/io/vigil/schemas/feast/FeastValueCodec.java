package io.vigil.schemas.feast;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serializes scalar {@code feast.types.Value} messages exactly as protobuf's {@code
 * SerializeToString} does: one oneof member, written even when it holds the default value (oneof
 * members have presence). Field numbers: string_val 2, int32_val 3, int64_val 4, double_val 5,
 * float_val 6, bool_val 7.
 */
public final class FeastValueCodec {
    private static final String MESSAGE = "feast.types.Value";

    private FeastValueCodec() {}

    public static byte[] encode(FeastValue v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16);
        int field = v.type().number();
        switch (v.type()) {
            case STRING -> {
                byte[] utf8 = ((String) v.value()).getBytes(StandardCharsets.UTF_8);
                ProtoWire.writeTag(out, field, ProtoWire.LENGTH_DELIMITED);
                ProtoWire.writeVarint(out, utf8.length);
                out.writeBytes(utf8);
            }
            case INT32 -> {
                ProtoWire.writeTag(out, field, ProtoWire.VARINT);
                ProtoWire.writeVarint(out, (Integer) v.value()); // sign-extended, as protobuf
            }
            case INT64 -> {
                ProtoWire.writeTag(out, field, ProtoWire.VARINT);
                ProtoWire.writeVarint(out, (Long) v.value());
            }
            case DOUBLE -> {
                ProtoWire.writeTag(out, field, ProtoWire.FIXED64);
                ProtoWire.writeFixed64(out, Double.doubleToRawLongBits((Double) v.value()));
            }
            case FLOAT -> {
                ProtoWire.writeTag(out, field, ProtoWire.FIXED32);
                ProtoWire.writeFixed32(out, Float.floatToRawIntBits((Float) v.value()));
            }
            case BOOL -> {
                ProtoWire.writeTag(out, field, ProtoWire.VARINT);
                ProtoWire.writeVarint(out, (Boolean) v.value() ? 1 : 0);
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes a serialized Value; empty when no member is set (Feast's null). When several members
     * are present the last wins, as in protobuf. Members other than the scalars above (bytes,
     * lists, maps, ...) are rejected with the field number.
     */
    public static Optional<FeastValue> decode(byte[] bytes) {
        ProtoWire.Reader in = new ProtoWire.Reader(bytes, MESSAGE);
        FeastValue last = null;
        while (in.hasMore()) {
            long tag = in.readVarint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            FeastType type = FeastType.ofValueField(field);
            if (type == null || wireType != wireTypeOf(type)) {
                throw in.malformed(
                        "unsupported field "
                                + field
                                + " with wire type "
                                + wireType
                                + " (Vigil reads scalar string/int32/int64/double/float/bool values)");
            }
            last =
                    switch (type) {
                        case STRING ->
                                FeastValue.ofString(
                                        new String(
                                                in.readLengthDelimited(), StandardCharsets.UTF_8));
                        case INT32 -> FeastValue.ofInt32((int) in.readVarint());
                        case INT64 -> FeastValue.ofInt64(in.readVarint());
                        case DOUBLE ->
                                FeastValue.ofDouble(Double.longBitsToDouble(in.readFixed64()));
                        case FLOAT -> FeastValue.ofFloat(Float.intBitsToFloat(in.readFixed32()));
                        case BOOL -> FeastValue.ofBool(in.readVarint() != 0);
                    };
        }
        return Optional.ofNullable(last);
    }

    private static int wireTypeOf(FeastType type) {
        return switch (type) {
            case STRING -> ProtoWire.LENGTH_DELIMITED;
            case DOUBLE -> ProtoWire.FIXED64;
            case FLOAT -> ProtoWire.FIXED32;
            case INT32, INT64, BOOL -> ProtoWire.VARINT;
        };
    }
}
