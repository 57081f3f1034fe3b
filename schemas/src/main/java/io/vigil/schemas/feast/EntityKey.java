package io.vigil.schemas.feast;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A Feast entity key: join key names with their values, in any order (serializers sort them). The
 * values are STRING, INT64 or INT32, the types Feast's key serializer handles.
 */
public record EntityKey(List<String> joinKeys, List<FeastValue> values) {

    public EntityKey {
        joinKeys = List.copyOf(joinKeys);
        values = List.copyOf(values);
        if (joinKeys.isEmpty() || joinKeys.size() != values.size()) {
            throw new IllegalArgumentException(
                    "an entity key needs as many values as join keys (at least one), got "
                            + joinKeys
                            + " and "
                            + values);
        }
        // One join key is the common case, and there is nothing to compare it with.
        if (joinKeys.size() > 1 && new HashSet<>(joinKeys).size() != joinKeys.size()) {
            throw new IllegalArgumentException("duplicate join key in " + joinKeys);
        }
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).type().allowedInEntityKey()) {
                throw new IllegalArgumentException(
                        "join key '"
                                + joinKeys.get(i)
                                + "' has a "
                                + values.get(i).type()
                                + " value; entity keys take STRING, INT64 or INT32");
            }
        }
    }

    public static EntityKey of(String joinKey, FeastValue value) {
        return new EntityKey(List.of(Objects.requireNonNull(joinKey)), List.of(value));
    }
}
