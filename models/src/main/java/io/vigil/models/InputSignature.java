package io.vigil.models;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a model reads: one float tensor {@code [batch, features.size()]} named {@code tensorName}
 * whose columns are {@code features} in this order, computed by the given feature view versions.
 */
public record InputSignature(
        String tensorName, List<ModelFeature> features, Map<String, Integer> featureViewVersions) {

    public InputSignature {
        if (tensorName == null || tensorName.isBlank()) {
            throw new IllegalArgumentException("input signature needs the ONNX input tensor name");
        }
        if (features == null || features.isEmpty()) {
            throw new IllegalArgumentException("input signature needs at least one feature");
        }
        features = List.copyOf(features);
        Set<String> seen = new HashSet<>();
        for (ModelFeature f : features) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("input signature lists " + f.name() + " twice");
            }
        }
        Objects.requireNonNull(featureViewVersions, "feature view versions");
        // Sorted so metadata files are byte-stable.
        featureViewVersions = Collections.unmodifiableMap(new TreeMap<>(featureViewVersions));
    }

    public int width() {
        return features.size();
    }

    public List<String> featureNames() {
        return features.stream().map(ModelFeature::name).toList();
    }
}
