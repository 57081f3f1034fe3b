package io.vigil.cli.retrain;

import io.vigil.models.ModelMetadata;
import java.util.List;

/**
 * Which of a run's registered versions becomes the challenger: the one with the higher validation
 * metric recorded in its metadata (the metric that picked each one's hyperparameters), the first on
 * a tie. Reading the stored metadata, not the training result, lets a redelivered request that had
 * registered its versions but not yet set the challenger finish without training again.
 */
public record ChallengerChoice(ModelMetadata version, String metric, double value) {

    /**
     * @throws IllegalStateException if there is no version or one lacks the metric
     */
    public static ChallengerChoice better(List<ModelMetadata> versions, String metric) {
        ChallengerChoice best = null;
        for (ModelMetadata v : versions) {
            Double value = v.metrics().get(metric);
            if (value == null || value.isNaN()) {
                throw new IllegalStateException(
                        "model "
                                + v.name()
                                + " "
                                + v.version()
                                + " has no "
                                + metric
                                + " to choose a challenger by");
            }
            if (best == null || value > best.value()) {
                best = new ChallengerChoice(v, metric, value);
            }
        }
        if (best == null) {
            throw new IllegalStateException("no version to choose a challenger from");
        }
        return best;
    }
}
