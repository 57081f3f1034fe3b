package io.vigil.schemas.feast;

/**
 * The scalar Feast types Vigil reads and writes.
 *
 * <p>{@link #number()} is both the {@code feast.types.ValueType} enum number (used inside entity
 * keys) and the field number of the matching member of the {@code feast.types.Value} oneof (used in
 * feature values): Feast numbers the two identically.
 */
public enum FeastType {
    STRING(2),
    INT32(3),
    INT64(4),
    DOUBLE(5),
    FLOAT(6),
    BOOL(7);

    private final int number;

    FeastType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The type whose {@code feast.types.Value} field number is {@code number}, or null if none. */
    static FeastType ofValueField(int number) {
        for (FeastType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        return null;
    }

    boolean allowedInEntityKey() {
        return this == STRING || this == INT64 || this == INT32;
    }
}
