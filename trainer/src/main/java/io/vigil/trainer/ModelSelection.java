package io.vigil.trainer;

import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.evaluation.Evaluation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fits every candidate on the training period and keeps the one that scores best on the validation
 * period (ties: the earlier candidate). Losers are closed as soon as they lose.
 */
public final class ModelSelection {

    /** How one candidate did on the validation period. */
    public record Candidate(
            String algorithm, Map<String, String> hyperparameters, Evaluation validation) {}

    /** The winner (caller closes it), its validation scores, and every candidate's result. */
    public record Outcome(
            TrainedModel best,
            double[] bestValidationScores,
            Evaluation bestValidation,
            List<Candidate> candidates) {}

    private ModelSelection() {}

    public static Outcome select(
            List<Trainer> candidates,
            TrainingSet train,
            TrainingSet validation,
            int k,
            Map<String, Instant> fraudKnownAt,
            SelectionMetric metric) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("model selection needs at least one candidate");
        }
        List<Candidate> results = new ArrayList<>();
        TrainedModel best = null;
        double[] bestScores = null;
        Evaluation bestEvaluation = null;
        try {
            for (Trainer trainer : candidates) {
                TrainedModel model = trainer.fit(train);
                double[] scores = model.predict(validation.features());
                Evaluation evaluation = Evaluation.of(validation, scores, k, fraudKnownAt);
                results.add(
                        new Candidate(trainer.algorithm(), trainer.hyperparameters(), evaluation));
                if (best == null || metric.of(evaluation) > metric.of(bestEvaluation)) {
                    if (best != null) {
                        best.close();
                    }
                    best = model;
                    bestScores = scores;
                    bestEvaluation = evaluation;
                } else {
                    model.close();
                }
            }
        } catch (RuntimeException e) {
            if (best != null) {
                best.close();
            }
            throw e;
        }
        return new Outcome(best, bestScores, bestEvaluation, List.copyOf(results));
    }
}
