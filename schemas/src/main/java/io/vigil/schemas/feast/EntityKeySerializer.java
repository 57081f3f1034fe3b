package io.vigil.schemas.feast;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

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

    private static final byte[] NO_SUFFIX = new byte[0];

    public byte[] serialize(EntityKey key) {
        return serialize(key, NO_SUFFIX);
    }

    /**
     * {@link #serialize(EntityKey)} followed by {@code suffix}, in one array: a Redis key is the
     * serialized entity key and the project name, and one is built for every row written or read.
     */
    public byte[] serialize(EntityKey key, byte[] suffix) {
        int n = key.joinKeys().size();
        byte[][] names = new byte[n][];
        byte[][] values = new byte[n][];
        int size = (this == V3 ? 4 : 0) + suffix.length;
        for (int i = 0; i < n; i++) {
            names[i] = key.joinKeys().get(i).getBytes(StandardCharsets.UTF_8);
            values[i] = valueBytes(key.values().get(i));
            size += (this == V3 ? 8 : 4) + names[i].length + 8 + values[i].length;
        }
        int[] order = codePointOrder(names);

        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        if (this == V3) {
            out.putInt(n);
        }
        for (int i : order) {
            out.putInt(FeastType.STRING.number());
            if (this == V3) {
                out.putInt(names[i].length);
            }
            out.put(names[i]);
        }
        for (int i : order) {
            out.putInt(key.values().get(i).type().number());
            out.putInt(values[i].length);
            out.put(values[i]);
        }
        return out.put(suffix).array();
    }

    /** Indexes of {@code names} in code point order (insertion sort: there are one or two). */
    private static int[] codePointOrder(byte[][] names) {
        int[] order = new int[names.length];
        for (int i = 0; i < order.length; i++) {
            int j = i;
            while (j > 0 && CODE_POINT_ORDER.compare(names[order[j - 1]], names[i]) > 0) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return order;
    }

    private static byte[] valueBytes(FeastValue v) {
        return switch (v.type()) {
            case STRING -> ((String) v.value()).getBytes(StandardCharsets.UTF_8);
            case INT32 -> littleEndian(4).putInt((Integer) v.value()).array();
            case INT64 -> littleEndian(8).putLong((Long) v.value()).array();
            default -> throw new IllegalArgumentException(v.type() + " is not an entity key type");
        };
    }

    private static ByteBuffer littleEndian(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
