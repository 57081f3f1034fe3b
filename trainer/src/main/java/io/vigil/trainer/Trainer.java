package io.vigil.trainer;

import io.vigil.trainer.dataset.TrainingSet;
import java.util.Map;

/** One learning algorithm with fixed hyperparameters: a candidate for model selection. */
public interface Trainer {

    String algorithm();

    Map<String, String> hyperparameters();

    TrainedModel fit(TrainingSet train);
}
