package io.vigil.trainer;

import io.vigil.models.ModelMetadata;
import io.vigil.trainer.dataset.TrainingSetStats;
import java.util.List;

/**
 * What a training run produced: draft metadata and the ONNX file, ready for {@link
 * io.vigil.models.registry.ModelRegistry#register}, plus how every candidate and both data sets
 * looked.
 */
public record TrainingResult(
        ModelMetadata draft,
        byte[] onnx,
        List<ModelSelection.Candidate> candidates,
        TrainingSetStats train,
        TrainingSetStats validation) {}
