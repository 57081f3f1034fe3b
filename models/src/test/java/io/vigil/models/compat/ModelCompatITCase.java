package io.vigil.models.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.models.FeatureCatalog;
import io.vigil.models.InvalidModelException;
import io.vigil.models.ModelMetadata;
import io.vigil.models.TrainingWindow;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.ModelEventType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Models exported by the usual Python tools (compat/models/run.sh: scikit-learn via skl2onnx with a
 * ZipMap, a probability tensor or one output per class, XGBoost and LightGBM via onnxmltools)
 * register in a {@link FileSystemModelRegistry} as {@code vigil model register} does, load into the
 * scoring path's {@link OnnxScorer}, and give every row the probability Python's onnxruntime gave
 * it, within 1e-5. The first run on a machine installs the pinned Python packages into a cached
 * venv (minutes).
 */
class ModelCompatITCase {

    private static final double TOLERANCE = 1e-5;
    private static final int BATCH = 64;
    private static final Instant TRAINED_FROM = Instant.parse("2018-04-01T00:00:00Z");
    private static final Instant TRAINED_TO = Instant.parse("2018-05-01T00:00:00Z");
    private static final Attribution BY = new Attribution("compat-test", "import a Python model");

    /** What export_models.py writes, one per output layout and tool. */
    private static final List<String> MODELS =
            List.of(
                    "sklearn-random-forest-zipmap",
                    "sklearn-logistic-regression-tensor",
                    "sklearn-extra-trees-string-labels",
                    "sklearn-gradient-boosting-columns",
                    "xgboost",
                    "lightgbm-zipmap");

    @TempDir static Path exported;
    private static JsonNode manifest;
    private static float[][] rows;

    @TempDir Path registryRoot;
    private final List<ModelEvent> events = new ArrayList<>();

    @BeforeAll
    static void exportModelsWithPython() throws Exception {
        Path runScript = repoRoot().resolve("compat/models/run.sh");
        assertThat(runScript).as("compat script").isRegularFile();
        Path log = Files.createTempFile("vigil-models-compat", ".log");
        Process run =
                new ProcessBuilder("bash", runScript.toString(), exported.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        // The first run creates the venv: pip installs about 430 MB.
        boolean finished = run.waitFor(20, TimeUnit.MINUTES);
        if (!finished) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        System.out.println(output);
        assertThat(finished).as("run.sh finished in time; output:%n%s", output).isTrue();
        assertThat(run.exitValue()).as("run.sh exit code; output:%n%s", output).isZero();

        manifest = new ObjectMapper().readTree(exported.resolve("manifest.json").toFile());
        rows = readRows(exported.resolve(manifest.get("rows_file").asText()), features());
        assertThat(rows.length).isEqualTo(manifest.get("rows").asInt());
    }

    @Test
    void pythonExportedEveryLayoutVigilPromisesToRead() {
        assertThat(models())
                .extracting(m -> m.get("name").asText())
                .containsExactlyInAnyOrderElementsOf(MODELS);
        assertThat(models())
                .extracting(m -> m.get("output_layout").asText())
                .contains("zipmap", "tensor", "column");
        assertThat(models())
                .anySatisfy(m -> assertThat(m.get("input_name").asText()).isEqualTo("X"));
    }

    @ParameterizedTest
    @FieldSource("MODELS")
    void registeredModelScoresEveryRowAsPythonOnnxRuntimeDoes(String name) throws IOException {
        JsonNode model = model(name);
        double[] expected = readColumn(exported.resolve(model.get("probabilities_file").asText()));
        assertThat(expected).hasSize(rows.length);
        // A model that learned nothing would match trivially.
        assertThat(range(expected)).as("spread of %s's probabilities", name).isGreaterThan(0.2);

        FileSystemModelRegistry registry = FileSystemModelRegistry.open(registryRoot, events::add);
        ModelMetadata stored = registry.register(draft(model), onnx(model), BY);
        assertThat(events)
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.getType()).isEqualTo(ModelEventType.REGISTERED);
                            assertThat(e.getSha256()).isEqualTo(stored.sha256());
                        });

        try (OnnxScorer scorer = OnnxScorer.load(registry.load(name, "1"))) {
            double[] single = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                single[i] = scorer.score(rows[i]);
            }
            double[] batched = new double[rows.length];
            for (int from = 0; from < rows.length; from += BATCH) {
                int to = Math.min(rows.length, from + BATCH);
                double[] p = scorer.scoreBatch(Arrays.copyOfRange(rows, from, to));
                System.arraycopy(p, 0, batched, from, p.length);
            }
            assertMatches(name + " one row at a time", single, expected);
            assertMatches(name + " in batches of " + BATCH, batched, expected);
        }
    }

    @Test
    void aZipMapModelRegisteredWithTheWrongNamesIsRefusedNamingWhatItHas() {
        JsonNode model = model("sklearn-random-forest-zipmap");
        FileSystemModelRegistry registry = FileSystemModelRegistry.open(registryRoot, events::add);
        ModelMetadata wrongOutput =
                draft(
                        model.get("name").asText(),
                        model.get("input_name").asText(),
                        "probabilities");
        ModelMetadata wrongInput =
                draft(model.get("name").asText(), "features", model.get("output_name").asText());

        assertThatThrownBy(() -> registry.register(wrongOutput, onnx(model), BY))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("no output 'probabilities'")
                .hasMessageContaining("output_label")
                .hasMessageContaining("output_probability");
        assertThatThrownBy(() -> registry.register(wrongInput, onnx(model), BY))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("the model's inputs are [float_input]")
                .hasMessageContaining("'features'");
        assertThat(registry.models()).isEmpty();
        assertThat(events).isEmpty();
    }

    private static void assertMatches(String what, double[] actual, double[] expected) {
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > Math.abs(actual[worst] - expected[worst])) {
                worst = i;
            }
        }
        double difference = Math.abs(actual[worst] - expected[worst]);
        System.out.printf("%s: max |Java - Python| = %.2e (row %d)%n", what, difference, worst);
        assertThat(difference)
                .as(
                        "%s: row %d %s scores %s in Java, %s in Python",
                        what, worst, Arrays.toString(rows[worst]), actual[worst], expected[worst])
                .isLessThanOrEqualTo(TOLERANCE);
    }

    /** What a user would pass to {@code vigil model register}: names, features, provenance. */
    private static ModelMetadata draft(JsonNode model) {
        return draft(
                model.get("name").asText(),
                model.get("input_name").asText(),
                model.get("output_name").asText());
    }

    private static ModelMetadata draft(String name, String inputName, String outputName) {
        return ModelMetadata.builder(name, "1")
                .input(FeatureCatalog.v1().signature(inputName, features()))
                .outputName(outputName)
                .algorithm(model(name).get("estimator").asText())
                .hyperparameters(Map.of("converter", model(name).get("converter").asText()))
                .trainingWindow(new TrainingWindow(TRAINED_FROM, TRAINED_TO))
                .labelCutoff(TRAINED_TO)
                .codeVersion("compat/models " + manifest.get("packages"))
                .build();
    }

    private static byte[] onnx(JsonNode model) {
        try {
            return Files.readAllBytes(exported.resolve(model.get("file").asText()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + model.get("file"), e);
        }
    }

    private static List<JsonNode> models() {
        return StreamSupport.stream(manifest.get("models").spliterator(), false).toList();
    }

    private static JsonNode model(String name) {
        return models().stream()
                .filter(m -> m.get("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("manifest.json has no model " + name));
    }

    private static List<String> features() {
        return StreamSupport.stream(manifest.get("features").spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    private static float[][] readRows(Path csv, List<String> features) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo(String.join(",", features));
        float[][] parsed = new float[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            assertThat(cells).as("%s line %d", csv, i + 1).hasSize(features.size());
            parsed[i - 1] = new float[cells.length];
            for (int f = 0; f < cells.length; f++) {
                parsed[i - 1][f] = Float.parseFloat(cells[f]);
            }
        }
        return parsed;
    }

    private static double[] readColumn(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .mapToDouble(Double::parseDouble)
                .toArray();
    }

    private static double range(double[] values) {
        return Arrays.stream(values).max().orElseThrow()
                - Arrays.stream(values).min().orElseThrow();
    }

    private static Path repoRoot() throws IOException {
        // Failsafe runs in the module directory (models/); the repository root is its parent.
        return Path.of(System.getProperty("user.dir")).toRealPath().getParent();
    }
}
