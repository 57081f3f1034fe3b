package io.vigil.trainer.evaluation;

import io.vigil.models.ModelArtifact;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.dataset.TrainingSetBuilder;
import java.time.Duration;
import java.time.Instant;

/**
 * Offline evaluation of a registered model on a test period: the rows are built like a training set
 * (labels known at {@code cutoff}, usually well after the period so they are complete) and scored
 * by ONNX Runtime exactly as the scoring job would.
 */
public final class ModelEvaluation {

    private ModelEvaluation() {}

    public static Evaluation evaluate(
            ModelArtifact model,
            Iterable<FeatureVector> featureLog,
            Iterable<Label> labels,
            Instant from,
            Instant to,
            Instant cutoff,
            Duration labelDelay,
            int k) {
        TrainingSet test =
                new TrainingSetBuilder(model.metadata().input(), labelDelay)
                        .build(featureLog, labels, from, to, cutoff);
        try (OnnxScorer scorer = OnnxScorer.load(model)) {
            double[] scores = scorer.scoreBatch(test.features());
            return Evaluation.of(test, scores, k, CardPrecisionAtK.fraudKnownAt(labels));
        }
    }
}
