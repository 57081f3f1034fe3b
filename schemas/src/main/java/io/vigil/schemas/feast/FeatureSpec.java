package io.vigil.schemas.feast;

import java.util.Objects;

/** One feature of a feature view: its Feast field name and dtype. */
public record FeatureSpec(String name, FeastType type) {

    public FeatureSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a feature needs a name");
        }
        Objects.requireNonNull(type, () -> "type of feature " + name);
    }
}
