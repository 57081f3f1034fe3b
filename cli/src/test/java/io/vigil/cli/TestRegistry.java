package io.vigil.cli;

import io.vigil.models.ModelMetadata;
import io.vigil.models.TrainingWindow;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.schemas.ChallengerMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
        for (String version : new String[] {"1", "2"}) {
            register(registry, version, Map.of(), by);
        }
        registry.setChampion("fraud", "1", by);
        registry.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, by);
        return root;
    }

    /** Registers {@code version} of model {@code fraud}, the same logistic regression. */
    public static ModelMetadata register(
            FileSystemModelRegistry registry,
            String version,
            Map<String, Double> metrics,
            Attribution by) {
        return registry.register(draft(version, metrics), onnx(), by);
    }

    private static synchronized byte[] onnx() {
        if (onnx == null) {
            onnx = new FeatureLogFixture(21, 100).onnxModel();
        }
        return onnx;
    }

    private static ModelMetadata draft(String version, Map<String, Double> metrics) {
        return ModelMetadata.builder("fraud", version)
                .input(FeatureLogFixture.SIGNATURE)
                .outputName("probabilities")
                .algorithm("logistic_regression")
                .trainingWindow(
                        new TrainingWindow(
                                FeatureLogFixture.START,
                                FeatureLogFixture.START.plus(Duration.ofDays(14))))
                .labelCutoff(FeatureLogFixture.START.plus(Duration.ofDays(21)))
                .metrics(metrics)
                .codeVersion("test")
                .build();
    }
}
