package io.vigil.cli.commands;

import io.vigil.models.DecisionBands;
import io.vigil.models.FeatureCatalog;
import io.vigil.models.InputSignature;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.trainer.Candidates;
import io.vigil.trainer.ModelTraining;
import io.vigil.trainer.SelectionMetric;
import io.vigil.trainer.Trainer;
import io.vigil.trainer.TrainingConfig;
import io.vigil.trainer.TrainingResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of Vigil's reference trainer, shared by {@code vigil model train} and {@code vigil
 * retrain follow}: the window {@code [from, to)} split into a training period and the last {@code
 * validation} of it, logistic regression and XGBoost trained each over its default grid ({@link
 * ModelTraining}), and each planned algorithm registered as {@code STEM-<suffix>} with one parent
 * version ({@link #without} leaves out those a resumed request registered before). Nothing is
 * registered unless every planned one trained. Callers do the printing.
 */
final class TrainingRun {

    /** The algorithms of a run, in training order: each its version suffix and its grid. */
    enum Algorithm {
        LOGREG("-logreg", Candidates::logisticRegression),
        XGBOOST("-xgboost", Candidates::xgboost);

        private final String suffix;
        private final Supplier<List<Trainer>> grid;

        Algorithm(String suffix, Supplier<List<Trainer>> grid) {
            this.suffix = suffix;
            this.grid = grid;
        }

        String version(String stem) {
            return stem + suffix;
        }
    }

    /** One algorithm of a run and how it is trained. */
    private record Planned(Algorithm algorithm, TrainingConfig config) {}

    private static final Pattern NUMBERED = Pattern.compile("([0-9]{1,9})([^0-9].*)?");

    /**
     * What every run of one caller shares.
     *
     * @throws IllegalArgumentException naming the option, if {@code --validation} is not positive
     *     or {@code --k} is below 1
     */
    record Settings(
            Duration validation,
            Duration labelDelay,
            int k,
            SelectionMetric selectBy,
            DecisionBands bands,
            String codeVersion) {

        Settings {
            if (validation.isNegative() || validation.isZero()) {
                throw new IllegalArgumentException(
                        "--validation must be positive, got " + validation);
            }
            if (k < 1) {
                throw new IllegalArgumentException("--k must be at least 1, got " + k);
            }
        }
    }

    private final String model;
    private final Instant from;
    private final Instant validationFrom;
    private final Instant to;
    private final Instant labelCutoff;
    private final Duration labelDelay;
    private final List<Planned> planned;

    private TrainingRun(
            String model,
            Instant from,
            Instant validationFrom,
            Instant to,
            Instant labelCutoff,
            Duration labelDelay,
            List<Planned> planned) {
        this.model = model;
        this.from = from;
        this.validationFrom = validationFrom;
        this.to = to;
        this.labelCutoff = labelCutoff;
        this.labelDelay = labelDelay;
        this.planned = planned;
    }

    /**
     * Plans the run of {@code model} version {@code stem} (parent {@code parent}, may be null) on
     * {@code [from, to)} with the labels known at {@code labelCutoff}.
     *
     * @param fromName how the caller calls {@code from} (an option, a request field), for errors
     * @param toName how the caller calls {@code to}
     * @throws IllegalArgumentException if the periods leave nothing to train or validate on, or the
     *     trainer refuses the configuration (e.g. validation ending after the cut-off)
     */
    static TrainingRun plan(
            String model,
            String stem,
            String parent,
            Instant from,
            Instant to,
            Instant labelCutoff,
            Settings settings,
            String fromName,
            String toName) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException(
                    fromName + " " + from + " must be before " + toName + " " + to);
        }
        Duration validation = settings.validation();
        Instant validationFrom = to.minus(validation);
        if (!validationFrom.isAfter(from)) {
            throw new IllegalArgumentException(
                    "--validation "
                            + validation
                            + " leaves nothing to train on in "
                            + ModelViews.period(from, to));
        }
        List<Planned> planned = new ArrayList<>();
        for (Algorithm algorithm : Algorithm.values()) {
            TrainingConfig config =
                    new TrainingConfig(
                            model,
                            algorithm.version(stem),
                            parent,
                            settings.codeVersion(),
                            from,
                            validationFrom,
                            to,
                            labelCutoff,
                            settings.labelDelay(),
                            settings.k(),
                            settings.selectBy(),
                            settings.bands());
            planned.add(new Planned(algorithm, config));
        }
        return new TrainingRun(
                model,
                from,
                validationFrom,
                to,
                labelCutoff,
                settings.labelDelay(),
                List.copyOf(planned));
    }

    /**
     * This run without the versions in {@code registered}: what is left of it after an earlier run
     * with the same stem registered those.
     */
    TrainingRun without(List<String> registered) {
        return new TrainingRun(
                model,
                from,
                validationFrom,
                to,
                labelCutoff,
                labelDelay,
                planned.stream().filter(p -> !registered.contains(p.config().version())).toList());
    }

    /** Whether every version of the run is already registered: nothing left to train. */
    boolean isDone() {
        return planned.isEmpty();
    }

    /**
     * The stem of a version a run registered: {@code 3} of {@code 3-logreg}.
     *
     * @throws IllegalStateException if {@code version} ends in no algorithm's suffix
     */
    static String stem(String version) {
        for (Algorithm algorithm : Algorithm.values()) {
            if (version.endsWith(algorithm.suffix)) {
                return version.substring(0, version.length() - algorithm.suffix.length());
            }
        }
        throw new IllegalStateException(
                "version "
                        + version
                        + " was not registered by a training run: no algorithm suffix");
    }

    /** One more than the highest leading number of any version: 3-logreg and 3-xgboost give 4. */
    static String nextVersion(List<String> existing) {
        int highest = 0;
        for (String v : existing) {
            Matcher m = NUMBERED.matcher(v);
            if (m.matches()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        return Integer.toString(highest + 1);
    }

    /**
     * @throws IllegalStateException if a version this run would register already exists
     */
    void requireNewVersions(List<String> existing) {
        List<String> taken = versions().stream().filter(existing::contains).toList();
        if (!taken.isEmpty()) {
            throw new IllegalStateException(
                    "model "
                            + model
                            + " already has version "
                            + String.join(" and ", taken)
                            + "; versions are immutable: choose another --version");
        }
    }

    /** The feature-log rows of the window and the labels that can matter for them. */
    FeaturesLogSlice read(FeaturesTopicReader reader, TopicRegistry topics) {
        return FeaturesLogSlice.read(reader, topics, from, to);
    }

    /**
     * @throws IllegalStateException if the training or the validation period has no rows or no
     *     fraud label known at the cut-off
     */
    void requireLabelledRows(FeaturesLogSlice slice) {
        slice.requireLabelledRows("training period", from, validationFrom, labelCutoff);
        slice.requireLabelledRows("validation period", validationFrom, to, labelCutoff);
    }

    /**
     * Every planned algorithm, in {@link Algorithm} order, each the best of its grid on validation.
     */
    List<TrainingResult> train(FeaturesLogSlice slice) {
        InputSignature signature = FeatureCatalog.v1().defaultSignature("features");
        List<TrainingResult> results = new ArrayList<>();
        for (Planned p : planned) {
            results.add(
                    ModelTraining.run(
                            p.config(),
                            signature,
                            slice.rows(),
                            slice.labels(),
                            p.algorithm().grid.get()));
        }
        return results;
    }

    /** Registers every result, in order, each with the same attribution. */
    static List<ModelMetadata> register(
            FileSystemModelRegistry registry, List<TrainingResult> results, Attribution by) {
        List<ModelMetadata> stored = new ArrayList<>();
        for (TrainingResult result : results) {
            stored.add(registry.register(result.draft(), result.onnx(), by));
        }
        return stored;
    }

    /** The periods as one line, e.g. for the start of a run's output. */
    String describePeriods() {
        return String.format(
                Locale.ROOT,
                "training %s, validation %s, label cut-off %s, label delay %s",
                ModelViews.period(from, validationFrom),
                ModelViews.period(validationFrom, to),
                labelCutoff,
                ModelViews.duration(labelDelay));
    }

    private List<String> versions() {
        return planned.stream().map(p -> p.config().version()).toList();
    }
}
