package io.vigil.models;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Distributions of every model input and of the model's score on reference data (the validation
 * period), the baseline that drift monitoring compares live traffic with.
 */
public record ReferenceProfile(
        Map<String, DistributionProfile> features, DistributionProfile score) {

    public ReferenceProfile {
        Objects.requireNonNull(features, "feature profiles");
        Objects.requireNonNull(score, "score profile");
        features = Collections.unmodifiableMap(new TreeMap<>(features));
    }
}
