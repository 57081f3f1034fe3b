package io.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.models.DistributionProfile;
import io.vigil.models.FeatureCatalog;
import io.vigil.models.ModelMetadata;
import io.vigil.models.ReferenceProfile;
import io.vigil.models.TrainingWindow;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.models.registry.RegistryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/**
 * A model registry directory holding versions with a reference profile, and the distributions the
 * profiles describe.
 *
 * <p>A version is written as the registry stores it ({@code metadata.json} in the directory {@link
 * FileSystemModelRegistry#uri} names) without its ONNX file: {@code register} proves the file loads
 * in ONNX Runtime, which this module excludes (the drift job runs no model), and the drift job
 * reads only the metadata. Reading it back through the registry checks the layout.
 */
public final class ProfiledRegistry {

    public static final String MODEL = "fraud";
    public static final String AMOUNT = "request:tx_amount";
    public static final String COUNT = "customer_spending:nb_tx_1d";
    public static final int BINS = 10;

    private ProfiledRegistry() {}

    /** An amount in currency units: log-normal around 50. */
    public static double amount(Random random) {
        return Math.exp(Math.log(50) + 0.8 * random.nextGaussian());
    }

    /** A count of a customer's transactions in a day: 0..6. */
    public static double count(Random random) {
        return random.nextInt(7);
    }

    /** A fraud score: mostly low. */
    public static double score(Random random) {
        return Math.pow(random.nextDouble(), 3);
    }

    /** The profile of {@code n} draws of {@link #amount}, {@link #count} and {@link #score}. */
    public static ReferenceProfile referenceProfile(int n, long seed) {
        Random random = new Random(seed);
        return new ReferenceProfile(
                Map.of(
                        AMOUNT, profile(n, r -> amount(random)),
                        COUNT, profile(n, r -> count(random))),
                profile(n, r -> score(random)));
    }

    /** Stores {@code model version} with {@code profile} (none if null) under {@code root}. */
    public static void addVersion(Path root, String version, ReferenceProfile profile)
            throws IOException {
        FileSystemModelRegistry registry =
                FileSystemModelRegistry.open(root, ModelEventPublisher.none());
        Instant trainedTo = Instant.parse("2018-06-01T00:00:00Z");
        ModelMetadata stored =
                ModelMetadata.builder(MODEL, version)
                        .input(FeatureCatalog.v1().defaultSignature("float_input"))
                        .outputName("probabilities")
                        .algorithm("logistic_regression")
                        .trainingWindow(
                                new TrainingWindow(
                                        Instant.parse("2018-04-01T00:00:00Z"), trainedTo))
                        .labelCutoff(trainedTo)
                        .referenceProfile(profile)
                        .codeVersion("test")
                        .build()
                        .registered("0".repeat(64), "drift tests", trainedTo);
        Path dir = Path.of(registry.uri(MODEL, version));
        Files.createDirectories(dir);
        Files.write(dir.resolve("metadata.json"), RegistryJson.pretty(stored));
        assertThat(registry.metadata(MODEL, version).referenceProfile()).isEqualTo(profile);
    }

    private static DistributionProfile profile(int n, DoubleUnaryOperator draw) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = draw.applyAsDouble(i);
        }
        return DistributionProfile.of(values, BINS);
    }
}
