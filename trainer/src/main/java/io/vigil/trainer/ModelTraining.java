package io.vigil.trainer;

import io.vigil.models.DistributionProfile;
import io.vigil.models.InputSignature;
import io.vigil.models.ModelMetadata;
import io.vigil.models.ReferenceProfile;
import io.vigil.models.TrainingWindow;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.dataset.TrainingSetBuilder;
import io.vigil.trainer.evaluation.CardPrecisionAtK;
import io.vigil.trainer.onnx.OnnxGraphs;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training run from the feature log and labels to a model ready for the registry: point-in-time
 * training and validation sets, model selection on the validation period, the ONNX export checked
 * against the trainer's own predictions on every validation row, holdout metrics and the reference
 * profile (validation features and scores) for drift monitoring.
 *
 * <p>The shipped model is the one fitted on the training period, so its recorded validation metrics
 * describe exactly that model.
 */
public final class ModelTraining {

    /** Largest |ONNX − trainer| probability difference a model may ship with. */
    public static final double PARITY_TOLERANCE = 1e-5;

    /** What the validation period's metrics in a model's metadata start with. */
    private static final String VALIDATION_PREFIX = "validation_";

    private static final int PROFILE_BINS = 10;

    private ModelTraining() {}

    /**
     * @param featureLog read twice (training, then validation period)
     * @throws IllegalStateException if the ONNX export disagrees with the trainer
     */
    public static TrainingResult run(
            TrainingConfig config,
            InputSignature signature,
            Iterable<FeatureVector> featureLog,
            Iterable<Label> labels,
            List<Trainer> candidates) {
        TrainingSetBuilder builder = new TrainingSetBuilder(signature, config.labelDelay());
        TrainingSet train =
                builder.build(
                        featureLog, labels, config.trainFrom(), config.trainTo(), config.cutoff());
        TrainingSet validation =
                builder.build(
                        featureLog,
                        labels,
                        config.trainTo(),
                        config.validationTo(),
                        config.cutoff());
        Map<String, Instant> fraudKnownAt = knownBy(CardPrecisionAtK.fraudKnownAt(labels), config);

        ModelSelection.Outcome outcome =
                ModelSelection.select(
                        candidates,
                        train,
                        validation,
                        config.k(),
                        fraudKnownAt,
                        config.selectionMetric());
        try (TrainedModel model = outcome.best()) {
            byte[] onnx = model.toOnnx(signature);
            double[] scores = outcome.bestValidationScores();
            Map<String, Double> metrics =
                    new LinkedHashMap<>(outcome.bestValidation().asMetrics(VALIDATION_PREFIX));
            metrics.put("train_rows", (double) train.size());
            metrics.put("train_frauds", (double) train.frauds());
            ReferenceProfile profile = profile(validation, scores);
            // Parity is checked through the scoring path, which needs metadata to load the model.
            double worst =
                    parity(
                            draft(config, signature, model, metrics, profile),
                            onnx,
                            validation,
                            scores);
            metrics.put("onnx_max_abs_difference", worst);
            ModelMetadata draft = draft(config, signature, model, metrics, profile);
            return new TrainingResult(
                    draft, onnx, outcome.candidates(), train.stats(), validation.stats());
        }
    }

    /**
     * The metadata key of {@code metric} on the validation period, e.g. {@code validation_auc_roc}.
     */
    public static String validationMetric(SelectionMetric metric, int k) {
        return VALIDATION_PREFIX + metric.key(k);
    }

    private static ModelMetadata draft(
            TrainingConfig config,
            InputSignature signature,
            TrainedModel model,
            Map<String, Double> metrics,
            ReferenceProfile profile) {
        return ModelMetadata.builder(config.model(), config.version())
                .input(signature)
                .outputName(OnnxGraphs.PROBABILITIES)
                .algorithm(model.algorithm())
                .hyperparameters(model.hyperparameters())
                .trainingWindow(new TrainingWindow(config.trainFrom(), config.trainTo()))
                .labelCutoff(config.cutoff())
                .metrics(metrics)
                .referenceProfile(profile)
                .decisionBands(config.decisionBands())
                .codeVersion(config.codeVersion())
                .parentVersion(config.parentVersion())
                .build();
    }

    /** The reference distributions of every input and of the score on {@code set}. */
    public static ReferenceProfile profile(TrainingSet set, double[] scores) {
        Map<String, DistributionProfile> features = new HashMap<>();
        for (int j = 0; j < set.width(); j++) {
            features.put(
                    set.featureNames().get(j), DistributionProfile.of(set.column(j), PROFILE_BINS));
        }
        return new ReferenceProfile(features, DistributionProfile.of(scores, PROFILE_BINS));
    }

    private static double parity(
            ModelMetadata draft, byte[] onnx, TrainingSet validation, double[] expected) {
        double worst = 0;
        try (OnnxScorer scorer = OnnxScorer.load(draft, onnx)) {
            double[] actual = scorer.scoreBatch(validation.features());
            for (int i = 0; i < actual.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
            }
        }
        if (worst > PARITY_TOLERANCE) {
            throw new IllegalStateException(
                    "model "
                            + draft.name()
                            + " "
                            + draft.version()
                            + ": the ONNX export differs from the trainer by up to "
                            + worst
                            + " on the validation rows (tolerance "
                            + PARITY_TOLERANCE
                            + "); not shipping it");
        }
        return worst;
    }

    // Evaluation must not know of frauds reported after the cut-off either.
    private static Map<String, Instant> knownBy(Map<String, Instant> known, TrainingConfig config) {
        Map<String, Instant> atCutoff = new HashMap<>();
        known.forEach(
                (customer, at) -> {
                    if (!at.isAfter(config.cutoff())) {
                        atCutoff.put(customer, at);
                    }
                });
        return atCutoff;
    }
}
