package io.vigil.schemas.feast;

import java.util.Objects;

/**
 * One typed scalar {@code feast.types.Value}: the Java class of {@code value} matches {@code type}
 * (String, Integer, Long, Double, Float, Boolean).
 */
public record FeastValue(FeastType type, Object value) {

    public FeastValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Class<?> expected =
                switch (type) {
                    case STRING -> String.class;
                    case INT32 -> Integer.class;
                    case INT64 -> Long.class;
                    case DOUBLE -> Double.class;
                    case FLOAT -> Float.class;
                    case BOOL -> Boolean.class;
                };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException(
                    "a "
                            + type
                            + " Feast value needs a "
                            + expected.getSimpleName()
                            + ", got "
                            + value.getClass().getSimpleName());
        }
    }

    public static FeastValue ofString(String v) {
        return new FeastValue(FeastType.STRING, v);
    }

    public static FeastValue ofInt32(int v) {
        return new FeastValue(FeastType.INT32, v);
    }

    public static FeastValue ofInt64(long v) {
        return new FeastValue(FeastType.INT64, v);
    }

    public static FeastValue ofDouble(double v) {
        return new FeastValue(FeastType.DOUBLE, v);
    }

    public static FeastValue ofFloat(float v) {
        return new FeastValue(FeastType.FLOAT, v);
    }

    public static FeastValue ofBool(boolean v) {
        return new FeastValue(FeastType.BOOL, v);
    }

    /**
     * Converts a number carried as a double (see {@link FeatureRow}) into a value of {@code type}.
     * Integer types need a whole number in range, BOOL needs 0 or 1; STRING cannot be carried.
     */
    public static FeastValue fromDouble(FeastType type, double v) {
        return switch (type) {
            case DOUBLE -> ofDouble(v);
            case FLOAT -> ofFloat((float) v);
            case INT64 -> {
                // 2^63 is exactly representable; every double below it in magnitude fits a long.
                if (v != Math.rint(v) || Math.abs(v) >= 0x1p63) {
                    throw new IllegalArgumentException(v + " is not a whole number in INT64 range");
                }
                yield ofInt64((long) v);
            }
            case INT32 -> {
                if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(v + " is not a whole number in INT32 range");
                }
                yield ofInt32((int) v);
            }
            case BOOL -> {
                if (v != 0 && v != 1) {
                    throw new IllegalArgumentException(v + " is not a BOOL (0 or 1)");
                }
                yield ofBool(v == 1);
            }
            case STRING ->
                    throw new IllegalArgumentException("a STRING cannot be carried as a number");
        };
    }

    /** The inverse of {@link #fromDouble}: numbers as double, BOOL as 0 or 1. */
    public double toDouble() {
        return switch (type) {
            case BOOL -> (Boolean) value ? 1 : 0;
            case STRING -> throw new IllegalStateException("a STRING Feast value is not a number");
            default -> ((Number) value).doubleValue();
        };
    }
}
