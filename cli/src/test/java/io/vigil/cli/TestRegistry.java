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
public final class TestRegistry {

    private static byte[] onnx;

    private TestRegistry() {}

    /** Creates the registry under {@code root} and returns {@code root}. */
    public static Path championAndChallenger(Path root) {
        FileSystemModelRegistry registry =
                FileSystemModelRegistry.open(root, ModelEventPublisher.none());
        Attribution by = new Attribution("test", "test registry");
        register(registry, "1", "2");
        registry.setChampion("fraud", "1", by);
        registry.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, by);
        return root;
    }

    /** Registers {@code versions} of model {@code fraud}, the same model each, without roles. */
    public static synchronized void register(FileSystemModelRegistry registry, String... versions) {
        if (onnx == null) {
            onnx = new FeatureLogFixture(21, 100).onnxModel();
        }
        Attribution by = new Attribution("test", "test registry");
        for (String version : versions) {
            registry.register(draft(version), onnx, by);
        }
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
