package io.vigil.schemas.feast;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Feast's {@code serialize_entity_key} (sdk/python/feast/infra/key_encoding_utils.py) for
 * entity_key_serialization_version 2 and 3. All integers are little-endian u32; join keys are
 * written sorted by name, and the values in the same order.
 *
 * <ul>
 *   <li>V3: u32 number of keys; per key u32 2 (STRING) + u32 UTF-8 length + name; per value u32
 *       ValueType + u32 byte length + bytes.
 *   <li>V2: as V3 without the number of keys and without the name length.
 * </ul>
 *
 * Value bytes: STRING as UTF-8, INT64 as 8 bytes, INT32 as 4 bytes (two's complement).
 */
public enum EntityKeySerializer {
    V2,
    V3;

    /** Python sorts str by code point; unsigned UTF-8 byte order is the same order. */
    private static final Comparator<byte[]> CODE_POINT_ORDER = Arrays::compareUnsigned;

    public byte[] serialize(EntityKey key) {
        byte[][] names =
                key.joinKeys().stream()
                        .map(k -> k.getBytes(StandardCharsets.UTF_8))
                        .toArray(byte[][]::new);
        int[] order =
                IntStream.range(0, names.length)
                        .boxed()
                        .sorted((a, b) -> CODE_POINT_ORDER.compare(names[a], names[b]))
                        .mapToInt(Integer::intValue)
                        .toArray();

        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        if (this == V3) {
            writeU32(out, names.length);
        }
        for (int i : order) {
            writeU32(out, FeastType.STRING.number());
            if (this == V3) {
                writeU32(out, names[i].length);
            }
            out.writeBytes(names[i]);
        }
        for (int i : order) {
            FeastValue v = key.values().get(i);
            byte[] bytes = valueBytes(v);
            writeU32(out, v.type().number());
            writeU32(out, bytes.length);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] valueBytes(FeastValue v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8);
        switch (v.type()) {
            case STRING -> out.writeBytes(((String) v.value()).getBytes(StandardCharsets.UTF_8));
            case INT32 -> writeU32(out, (Integer) v.value());
            case INT64 -> {
                long l = (Long) v.value();
                writeU32(out, (int) l);
                writeU32(out, (int) (l >>> 32));
            }
            default -> throw new IllegalArgumentException(v.type() + " is not an entity key type");
        }
        return out.toByteArray();
    }

    private static void writeU32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
