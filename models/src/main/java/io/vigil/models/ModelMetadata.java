package io.vigil.models;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Everything the platform knows about one immutable model version, stored next to its ONNX file.
 *
 * <p>A <em>draft</em> (what a trainer or a user hands to the registry) leaves {@code sha256},
 * {@code registeredBy} and {@code registeredAt} null; the registry fills them in {@link
 * #registered}. {@code referenceProfile} and {@code parentVersion} may be null (a model imported
 * from elsewhere, a first version). {@code decisionBands} is never null: metadata without bands
 * (written before versions had them, or a draft that names none) gets {@link
 * DecisionBands#DEFAULT}.
 *
 * @param outputName the ONNX output holding class probabilities (tensor or ZipMap)
 * @param algorithm e.g. {@code logistic_regression}, {@code xgboost}, {@code sklearn}
 * @param labelCutoff labels known at this instant were used; later ones were not
 * @param metrics holdout metrics, e.g. {@code auc_roc}, {@code average_precision}
 * @param decisionBands the scores this version approves, sends to review and declines
 * @param codeVersion the git commit of the code that trained the model
 */
public record ModelMetadata(
        String name,
        String version,
        String sha256,
        InputSignature input,
        String outputName,
        String algorithm,
        Map<String, String> hyperparameters,
        TrainingWindow trainingWindow,
        Instant labelCutoff,
        Map<String, Double> metrics,
        ReferenceProfile referenceProfile,
        DecisionBands decisionBands,
        String codeVersion,
        String parentVersion,
        String registeredBy,
        Instant registeredAt) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelMetadata {
        checkId("model name", name);
        checkId("version of model " + name, version);
        String what = name + " " + version;
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException(
                    what + ": sha256 must be 64 lower-case hex digits, got " + sha256);
        }
        Objects.requireNonNull(input, () -> what + ": input signature");
        requireText(outputName, what + ": output name");
        requireText(algorithm, what + ": algorithm");
        hyperparameters = sorted(Objects.requireNonNullElse(hyperparameters, Map.of()));
        Objects.requireNonNull(trainingWindow, () -> what + ": training window");
        Objects.requireNonNull(labelCutoff, () -> what + ": label cut-off");
        if (labelCutoff.isBefore(trainingWindow.to())) {
            // Transactions at the window's end would have no chance of a label.
            throw new IllegalArgumentException(
                    what
                            + ": label cut-off "
                            + labelCutoff
                            + " is before the training window end "
                            + trainingWindow.to());
        }
        metrics = sorted(Objects.requireNonNullElse(metrics, Map.of()));
        metrics.forEach(
                (k, v) -> {
                    if (v == null || !Double.isFinite(v)) {
                        throw new IllegalArgumentException(
                                what + ": metric " + k + " must be a finite number, got " + v);
                    }
                });
        decisionBands = Objects.requireNonNullElse(decisionBands, DecisionBands.DEFAULT);
        requireText(codeVersion, what + ": code version");
        if (parentVersion != null) {
            checkId("parent version of model " + name, parentVersion);
        }
        if ((registeredBy == null) != (registeredAt == null)
                || (registeredBy != null && sha256 == null)) {
            throw new IllegalArgumentException(
                    what + ": sha256, registered_by and registered_at are set together");
        }
    }

    public static Builder builder(String name, String version) {
        return new Builder(name, version);
    }

    /** This draft as stored by the registry. */
    public ModelMetadata registered(String fileSha256, String actor, Instant at) {
        requireText(actor, name + " " + version + ": registered by");
        Objects.requireNonNull(at, "registered at");
        return new ModelMetadata(
                name,
                version,
                fileSha256,
                input,
                outputName,
                algorithm,
                hyperparameters,
                trainingWindow,
                labelCutoff,
                metrics,
                referenceProfile,
                decisionBands,
                codeVersion,
                parentVersion,
                actor,
                at);
    }

    /** Checks a model name, version or alias-safe identifier (it becomes a directory name). */
    public static String checkId(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    what
                            + " must be 1-64 letters, digits, '.', '_' or '-' starting with a"
                            + " letter or digit, got '"
                            + id
                            + "'");
        }
        return id;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }

    // Sorted so metadata files are byte-stable.
    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** Builds drafts; every setter returns this builder. */
    public static final class Builder {
        private final String name;
        private final String version;
        private InputSignature input;
        private String outputName;
        private String algorithm;
        private Map<String, String> hyperparameters = Map.of();
        private TrainingWindow trainingWindow;
        private Instant labelCutoff;
        private Map<String, Double> metrics = Map.of();
        private ReferenceProfile referenceProfile;
        private DecisionBands decisionBands = DecisionBands.DEFAULT;
        private String codeVersion;
        private String parentVersion;

        private Builder(String name, String version) {
            this.name = name;
            this.version = version;
        }

        public Builder input(InputSignature input) {
            this.input = input;
            return this;
        }

        public Builder outputName(String outputName) {
            this.outputName = outputName;
            return this;
        }

        public Builder algorithm(String algorithm) {
            this.algorithm = algorithm;
            return this;
        }

        public Builder hyperparameters(Map<String, String> hyperparameters) {
            this.hyperparameters = hyperparameters;
            return this;
        }

        public Builder trainingWindow(TrainingWindow trainingWindow) {
            this.trainingWindow = trainingWindow;
            return this;
        }

        public Builder labelCutoff(Instant labelCutoff) {
            this.labelCutoff = labelCutoff;
            return this;
        }

        public Builder metrics(Map<String, Double> metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder referenceProfile(ReferenceProfile referenceProfile) {
            this.referenceProfile = referenceProfile;
            return this;
        }

        public Builder decisionBands(DecisionBands decisionBands) {
            this.decisionBands = decisionBands;
            return this;
        }

        public Builder codeVersion(String codeVersion) {
            this.codeVersion = codeVersion;
            return this;
        }

        public Builder parentVersion(String parentVersion) {
            this.parentVersion = parentVersion;
            return this;
        }

        public ModelMetadata build() {
            return new ModelMetadata(
                    name,
                    version,
                    null,
                    input,
                    outputName,
                    algorithm,
                    hyperparameters,
                    trainingWindow,
                    labelCutoff,
                    metrics,
                    referenceProfile,
                    decisionBands,
                    codeVersion,
                    parentVersion,
                    null,
                    null);
        }
    }
}
