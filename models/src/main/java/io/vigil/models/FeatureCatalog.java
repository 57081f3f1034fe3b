package io.vigil.models;

import io.vigil.schemas.feast.FeastType;
import io.vigil.schemas.feast.FeatureSpec;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The features a model may ask for: those of the known feature view versions, plus the request-time
 * features the scoring job computes from the transaction itself (view {@value #REQUEST_VIEW}).
 */
public final class FeatureCatalog {

    public static final String REQUEST_VIEW = "request";

    /** The request-time features of the feature log, with the type their values have. */
    public static final Map<String, FeastType> REQUEST_FEATURES = requestFeatures();

    private final List<FeatureViewSpec> views;

    public FeatureCatalog(List<FeatureViewSpec> views) {
        this.views = List.copyOf(views);
    }

    /** The v1 views of {@link FeatureViews#ALL} and the request features. */
    public static FeatureCatalog v1() {
        return new FeatureCatalog(FeatureViews.ALL);
    }

    /**
     * The Fraud Detection Handbook's 15 inputs: the request features, then every feature of every
     * v1 view, in view order.
     */
    public InputSignature defaultSignature(String tensorName) {
        // A set: a catalog holding two versions of a view lists its features once.
        Set<String> names = new LinkedHashSet<>();
        REQUEST_FEATURES
                .keySet()
                .forEach(f -> names.add(FeatureViewSpec.qualifiedName(REQUEST_VIEW, f)));
        for (FeatureViewSpec view : views) {
            names.addAll(view.qualifiedFeatureNames());
        }
        return signature(tensorName, new ArrayList<>(names));
    }

    /**
     * A signature for {@code featureNames} with the types and the newest view versions this catalog
     * knows.
     *
     * @throws InvalidModelException naming every unknown feature
     */
    public InputSignature signature(String tensorName, List<String> featureNames) {
        Map<String, Integer> versions = new TreeMap<>();
        for (String name : featureNames) {
            String view = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            if (!view.equals(REQUEST_VIEW)) {
                views.stream()
                        .filter(v -> v.name().equals(view))
                        .mapToInt(FeatureViewSpec::version)
                        .max()
                        .ifPresent(v -> versions.put(view, v));
            }
        }
        List<ModelFeature> features = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : featureNames) {
            FeastType type = typeOf(name, versions, problems);
            if (type != null) {
                features.add(new ModelFeature(name, type));
            }
        }
        failOn(problems, "cannot build an input signature");
        return new InputSignature(tensorName, features, versions);
    }

    /**
     * Checks that every input of {@code signature} is a feature of the feature view version it
     * names, with the type that view gives it.
     *
     * @throws InvalidModelException naming every mismatch
     */
    public void validate(String model, InputSignature signature) {
        List<String> problems = new ArrayList<>();
        signature
                .featureViewVersions()
                .forEach(
                        (view, version) -> {
                            if (find(view, version) == null) {
                                problems.add(
                                        "feature view " + view + " v" + version + " is unknown");
                            }
                        });
        for (ModelFeature f : signature.features()) {
            FeastType type = typeOf(f.name(), signature.featureViewVersions(), problems);
            if (type != null && type != f.type()) {
                problems.add(f.name() + " is " + type + ", the signature says " + f.type());
            }
        }
        failOn(problems, model + ": inputs match no known feature");
    }

    private FeastType typeOf(String name, Map<String, Integer> versions, List<String> problems) {
        int colon = name.indexOf(':');
        if (colon <= 0) {
            problems.add("'" + name + "' is not 'view:feature'");
            return null;
        }
        String view = name.substring(0, colon);
        String feature = name.substring(colon + 1);
        if (view.equals(REQUEST_VIEW)) {
            FeastType type = REQUEST_FEATURES.get(feature);
            if (type == null) {
                problems.add(
                        name
                                + ": no such request feature (known: "
                                + REQUEST_FEATURES.keySet()
                                + ")");
            }
            return type;
        }
        Integer version = versions.get(view);
        if (version == null) {
            problems.add(
                    views.stream().anyMatch(v -> v.name().equals(view))
                            ? name + ": no version given for feature view " + view
                            : name + ": unknown feature view " + view);
            return null;
        }
        FeatureViewSpec spec = find(view, version);
        if (spec == null) {
            return null; // validate() reports an unknown view version once, not per feature
        }
        for (FeatureSpec f : spec.features()) {
            if (f.name().equals(feature)) {
                return f.type();
            }
        }
        problems.add(
                name
                        + ": feature view "
                        + view
                        + " v"
                        + version
                        + " has no feature "
                        + feature
                        + " (it has "
                        + spec.features().stream()
                                .map(FeatureSpec::name)
                                .collect(Collectors.joining(", "))
                        + ")");
        return null;
    }

    private FeatureViewSpec find(String view, int version) {
        return views.stream()
                .filter(v -> v.name().equals(view) && v.version() == version)
                .findFirst()
                .orElse(null);
    }

    private static void failOn(List<String> problems, String what) {
        if (!problems.isEmpty()) {
            throw new InvalidModelException(what + ": " + String.join("; ", problems));
        }
    }

    private static Map<String, FeastType> requestFeatures() {
        Map<String, FeastType> features = new LinkedHashMap<>();
        features.put("tx_amount", FeastType.DOUBLE);
        features.put("tx_during_weekend", FeastType.INT32);
        features.put("tx_during_night", FeastType.INT32);
        return Collections.unmodifiableMap(features);
    }
}
