package io.vigil.cli.commands;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cli.KafkaOptions;
import io.vigil.cli.Usage;
import io.vigil.models.FeatureCatalog;
import io.vigil.models.InputSignature;
import io.vigil.models.InvalidModelException;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.RegistryJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil model register FILE.onnx --name --version --features ... [--metadata JSON]}: stores
 * an ONNX model (from Vigil's trainer, scikit-learn via skl2onnx, XGBoost/LightGBM via onnxmltools,
 * ...) as a new immutable version. The registry refuses, changing nothing, a file ONNX Runtime
 * cannot load, inputs that no known feature view provides, an input or output that does not match,
 * a sha256 other than the expected one, and an existing version.
 */
@Command(
        name = "register",
        description = {
            "Register an ONNX model file as a new, immutable version.",
            "Its single input is a float tensor [N, number of --features] in --features order; its"
                    + " output holds P(fraud) (a tensor [N,2] / [N,1] / [N] or a ZipMap).",
            "--metadata gives the rest in the registry's JSON form (snake_case): training_window"
                    + " {\"from\": ..., \"to\": ...} and label_cutoff (required, ISO-8601), and"
                    + " optionally input {\"tensor_name\": ...}, output_name, algorithm,"
                    + " hyperparameters, metrics, reference_profile, decision_bands, code_version,"
                    + " parent_version, sha256.",
            "Decision bands: scores below --review-from are approved, from it reviewed, from"
                    + " --decline-from declined; the scoring job applies the deciding version's"
                    + " bands."
        },
        footer = {
            "",
            "Example:",
            "  vigil model register rf.onnx --name fraud --version 7 --features v1 \\",
            "    --metadata '{\"training_window\": {\"from\": \"2018-07-25T00:00:00Z\","
                    + " \"to\": \"2018-08-01T00:00:00Z\"}, \"label_cutoff\": \"2018-08-08T00:00:00Z\","
                    + " \"algorithm\": \"sklearn_random_forest\"}' \\",
            "    --review-from 0.6 --decline-from 0.95",
            "",
            ModelRegistryWriter.EVENTS_NOTE
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ModelRegisterCommand implements Callable<Integer> {

    /** The handbook's 15 inputs (request, customer_spending, terminal_risk), in catalog order. */
    static final String V1_FEATURES = "v1";

    // Output names the usual exporters give probabilities: Vigil and onnxmltools, skl2onnx.
    private static final List<String> PROBABILITY_OUTPUTS =
            List.of("probabilities", "output_probability");

    private static final Set<String> METADATA_FIELDS =
            Set.of(
                    "name",
                    "version",
                    "input",
                    "output_name",
                    "algorithm",
                    "hyperparameters",
                    "training_window",
                    "label_cutoff",
                    "metrics",
                    "reference_profile",
                    "decision_bands",
                    "code_version",
                    "parent_version",
                    "sha256");

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.onnx", description = "The ONNX model file.")
    Path file;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(
            names = "--version",
            required = true,
            paramLabel = "VERSION",
            description = "New version (1-64 of [A-Za-z0-9._-]).")
    String version;

    @Option(
            names = "--features",
            required = true,
            split = ",",
            paramLabel = "VIEW:FEATURE",
            description =
                    "Input columns in order, e.g. request:tx_amount,customer_spending:nb_tx_1d;"
                            + " 'v1' = the handbook's 15.")
    List<String> features;

    @Option(
            names = "--metadata",
            paramLabel = "JSON|FILE",
            description = "Further metadata as JSON, inline (starting with '{') or in a file.")
    String metadata;

    @Option(
            names = "--sha256",
            paramLabel = "HEX",
            description = "Expected sha256 of FILE; registration is refused if it differs.")
    String sha256;

    @Mixin ModelBandsOptions bands;

    @Mixin ModelRegistryOptions where;

    @Mixin ModelChangeOptions change;

    @Mixin KafkaOptions kafka;

    @Override
    public Integer call() throws IOException {
        Usage.check(spec, () -> ModelMetadata.checkId("model name", name));
        Usage.check(spec, () -> ModelMetadata.checkId("version of model " + name, version));
        ObjectNode given = Usage.check(spec, this::metadataJson);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        byte[] onnx = Files.readAllBytes(file);
        OnnxInterface onnxInterface = OnnxInterface.of(file, onnx);
        ModelMetadata draft = Usage.check(spec, () -> draft(given, onnxInterface));

        PrintWriter out = spec.commandLine().getOut();
        try (ModelRegistryWriter writer = ModelRegistryWriter.open(spec, where, kafka, true)) {
            ModelMetadata stored =
                    writer.registry()
                            .register(
                                    draft,
                                    onnx,
                                    change.attribution(
                                            "vigil model register "
                                                    + file.getFileName()
                                                    + " --name "
                                                    + name
                                                    + " --version "
                                                    + version));
            out.println(
                    "registered model "
                            + name
                            + " version "
                            + version
                            + " in "
                            + writer.registry().root().toAbsolutePath());
            out.println("sha256 " + stored.sha256() + ", " + onnx.length + " bytes");
            out.println(
                    "input "
                            + stored.input().tensorName()
                            + " float[N, "
                            + stored.input().width()
                            + "]: "
                            + String.join(", ", stored.input().featureNames()));
            out.println("output " + stored.outputName() + ", algorithm " + stored.algorithm());
            out.println("decision bands: " + stored.decisionBands());
            out.println(writer.eventNote(name));
            out.println(
                    "next: vigil model alias "
                            + name
                            + " "
                            + version
                            + " --as champion|challenger");
        }
        out.flush();
        return 0;
    }

    private ObjectNode metadataJson() {
        ObjectNode object = metadata == null ? JsonNodeFactory.instance.objectNode() : parse();
        for (String required : List.of("training_window", "label_cutoff")) {
            if (!object.hasNonNull(required)) {
                throw new IllegalArgumentException(
                        "--metadata must give training_window {\"from\": ISO instant, \"to\": ISO"
                                + " instant} and label_cutoff (ISO instant): the registry records"
                                + " what data a model learned from (see 'vigil model register"
                                + " --help')");
            }
        }
        return object;
    }

    private ObjectNode parse() {
        String text = metadata.trim();
        String source = "--metadata";
        if (!text.startsWith("{")) {
            Path path = Path.of(text);
            source = "--metadata file " + path;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "--metadata is neither JSON (starting with '{') nor a readable file: "
                                + text);
            }
        }
        JsonNode node;
        try {
            node = RegistryJson.read(text.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + firstLine(e));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException(source + " must be a JSON object");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!METADATA_FIELDS.contains(field)) {
                unknown.add(field);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    source + ": unknown fields " + unknown + " (known: " + METADATA_FIELDS + ")");
        }
        JsonNode input = object.get("input");
        if (input != null
                && (!input.isObject() || input.size() != 1 || !input.has("tensor_name"))) {
            throw new IllegalArgumentException(
                    source
                            + ": input may only give tensor_name; the features come from"
                            + " --features");
        }
        for (String id : List.of("name", "version")) {
            String expected = id.equals("name") ? name : version;
            if (object.has(id) && !object.get(id).asText().equals(expected)) {
                throw new IllegalArgumentException(
                        source
                                + " says "
                                + id
                                + " "
                                + object.get(id).asText()
                                + " but --"
                                + id
                                + " is "
                                + expected);
            }
        }
        return object;
    }

    private ModelMetadata draft(ObjectNode given, OnnxInterface model) {
        ObjectNode json = given.deepCopy();
        String tensor =
                json.has("input") ? json.get("input").get("tensor_name").asText() : model.input();
        InputSignature signature = signature(tensor);
        json.put("name", name);
        json.put("version", version);
        json.set("input", tree(RegistryJson.pretty(signature)));
        if (!json.hasNonNull("output_name")) {
            json.put("output_name", model.output());
        }
        if (!json.hasNonNull("algorithm")) {
            json.put("algorithm", model.algorithm());
        }
        if (bands.given()) {
            if (json.has("decision_bands")) {
                throw new IllegalArgumentException(
                        "give the decision bands either in --metadata (decision_bands) or with"
                                + " --review-from/--decline-from, not both");
            }
            json.set("decision_bands", tree(RegistryJson.pretty(bands.bands())));
        }
        if (!json.hasNonNull("code_version")) {
            json.put("code_version", "unknown");
        }
        if (sha256 != null) {
            String expected = sha256.trim().toLowerCase(Locale.ROOT);
            if (json.hasNonNull("sha256") && !json.get("sha256").asText().equals(expected)) {
                throw new IllegalArgumentException(
                        "--sha256 "
                                + expected
                                + " differs from --metadata's "
                                + json.get("sha256"));
            }
            json.put("sha256", expected);
        }
        try {
            return RegistryJson.read(RegistryJson.pretty(json), ModelMetadata.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("--metadata: " + rootMessage(e), e);
        }
    }

    private InputSignature signature(String tensorName) {
        FeatureCatalog catalog = FeatureCatalog.v1();
        if (features.size() == 1 && features.get(0).equals(V1_FEATURES)) {
            return catalog.defaultSignature(tensorName);
        }
        try {
            return catalog.signature(tensorName, features.stream().map(String::trim).toList());
        } catch (InvalidModelException e) {
            throw new IllegalArgumentException("--features: " + e.getMessage(), e);
        }
    }

    private static JsonNode tree(byte[] json) {
        try {
            return RegistryJson.read(json, JsonNode.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-read JSON the registry wrote", e);
        }
    }

    // Jackson wraps constructor failures (ModelMetadata's validation): the cause says what is
    // wrong.
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? firstLine(e) : t.getMessage();
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** What the ONNX file itself says: its input and output names and who exported it. */
    private record OnnxInterface(List<String> inputs, List<String> outputs, String producer) {

        static OnnxInterface of(Path file, byte[] onnx) {
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                    OrtSession session =
                            OrtEnvironment.getEnvironment().createSession(onnx, options)) {
                return new OnnxInterface(
                        List.copyOf(session.getInputNames()),
                        List.copyOf(session.getOutputNames()),
                        session.getMetadata().getProducerName());
            } catch (OrtException | RuntimeException e) {
                throw new InvalidModelException(
                        file + ": ONNX Runtime cannot load it: " + firstLine(e), e);
            }
        }

        String input() {
            if (inputs.size() != 1) {
                throw new IllegalArgumentException(
                        "the model has inputs "
                                + inputs
                                + "; Vigil feeds one float tensor: name it with --metadata"
                                + " '{\"input\": {\"tensor_name\": ...}}'");
            }
            return inputs.get(0);
        }

        String output() {
            if (outputs.size() == 1) {
                return outputs.get(0);
            }
            return PROBABILITY_OUTPUTS.stream()
                    .filter(outputs::contains)
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IllegalArgumentException(
                                            "the model has outputs "
                                                    + outputs
                                                    + "; say which holds the probabilities with"
                                                    + " --metadata '{\"output_name\": ...}'"));
        }

        String algorithm() {
            return producer == null || producer.isBlank()
                    ? "external"
                    : "external (" + producer + ")";
        }
    }
}
