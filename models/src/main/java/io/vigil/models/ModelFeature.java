package io.vigil.models;

import io.vigil.schemas.feast.FeastType;
import java.util.Objects;

/**
 * One model input: its name ({@code view:feature}, e.g. {@code customer_spending:nb_tx_1d}, or
 * {@code request:tx_amount}) and the type the feature store holds it as. Models always receive the
 * value as a 32-bit float.
 */
public record ModelFeature(String name, FeastType type) {

    public ModelFeature {
        if (name == null || name.indexOf(':') <= 0 || name.endsWith(":")) {
            throw new IllegalArgumentException(
                    "model feature name must be 'view:feature', got '" + name + "'");
        }
        Objects.requireNonNull(type, () -> "type of model feature " + name);
    }

    public String view() {
        return name.substring(0, name.indexOf(':'));
    }

    public String feature() {
        return name.substring(name.indexOf(':') + 1);
    }
}
