package io.vigil.cli;

import io.vigil.models.ModelMetadata;
import io.vigil.models.TrainingWindow;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.schemas.ChallengerMode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A model registry with model {@code fraud}: version 1 the champion, version 2 a shadow challenger,
 * both the same logistic regression (trained once per JVM on {@link FeatureLogFixture}) with the
 * default decision bands.
 */
final class TestRegistry {

    private static byte[] onnx;

    private TestRegistry() {}

    /** Creates the registry under {@code root} and returns {@code root}. */
    static synchronized Path championAndChallenger(Path root) {
        if (onnx == null) {
            onnx = new FeatureLogFixture(21, 100).onnxModel();
        }
        FileSystemModelRegistry registry =
                FileSystemModelRegistry.open(root, ModelEventPublisher.none());
        Attribution by = new Attribution("test", "test registry");
        for (String version : new String[] {"1", "2"}) {
            registry.register(draft(version), onnx, by);
        }
        registry.setChampion("fraud", "1", by);
        registry.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, by);
        return root;
    }

    private static ModelMetadata draft(String version) {
        return ModelMetadata.builder("fraud", version)
                .input(FeatureLogFixture.SIGNATURE)
                .outputName("probabilities")
                .algorithm("logistic_regression")
                .trainingWindow(
                        new TrainingWindow(
                                FeatureLogFixture.START,
                                FeatureLogFixture.START.plus(Duration.ofDays(14))))
                .labelCutoff(FeatureLogFixture.START.plus(Duration.ofDays(21)))
                .codeVersion("test")
                .build();
    }
}
