package io.vigil.cli.commands;

import io.vigil.cli.Usage;
import io.vigil.models.ModelFeature;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.AuditEntry;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelAliases;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil model show NAME [VERSION]}: a model's roles, versions and recent changes, or one
 * version's metadata (its ONNX file checked against the recorded sha256) and stored evaluations.
 */
@Command(
        name = "show",
        description = {
            "Show a model, or one of its versions in detail.",
            "Without VERSION: the model's aliases, versions and its last audit entries.",
            "With VERSION: everything its metadata records, its stored offline evaluations, and a"
                    + " check of the ONNX file against the recorded sha256 (a mismatch fails)."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ModelShowCommand implements Callable<Integer> {

    private static final int AUDIT_LINES = 10;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "A model name.")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "A version.")
    String version;

    @Mixin ModelRegistryOptions where;

    @Override
    public Integer call() {
        Usage.check(spec, () -> ModelMetadata.checkId("model name", name));
        if (version != null) {
            Usage.check(spec, () -> ModelMetadata.checkId("version of model " + name, version));
        }
        FileSystemModelRegistry registry = where.openForReading();
        List<ModelMetadata> versions = registry.versions(name);
        if (versions.isEmpty()) {
            throw new IllegalStateException(
                    "no model "
                            + name
                            + " in "
                            + registry.root().toAbsolutePath()
                            + " (registered: "
                            + registry.models()
                            + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (version == null) {
            showModel(out, registry, versions);
        } else {
            showVersion(out, registry);
        }
        out.flush();
        return 0;
    }

    private void showModel(
            PrintWriter out, FileSystemModelRegistry registry, List<ModelMetadata> versions) {
        ModelAliases aliases = registry.aliases(name);
        out.println("model " + name + " in " + registry.root().toAbsolutePath());
        ModelViews.printAliases(out, aliases);
        out.println();
        ModelViews.versionsTable(versions, aliases).print(out);
        List<AuditEntry> audit = registry.audit(name);
        out.println();
        out.println(
                "last changes (of "
                        + audit.size()
                        + ", in "
                        + name
                        + "/audit.jsonl), oldest first:");
        ModelTable changes =
                new ModelTable()
                        .text("AT (UTC)")
                        .text("CHANGE")
                        .text("VERSION")
                        .text("BY")
                        .text("DETAIL")
                        .text("REASON");
        for (AuditEntry e : audit.subList(Math.max(0, audit.size() - AUDIT_LINES), audit.size())) {
            changes.row(
                    ModelViews.timestamp(e.at()),
                    e.type(),
                    e.version(),
                    e.actor(),
                    e.detail(),
                    e.reason());
        }
        changes.print(out);
    }

    private void showVersion(PrintWriter out, FileSystemModelRegistry registry) {
        // load() reads the file and fails on a sha256 mismatch: a corrupted file is never shown as
        // ok.
        ModelMetadata m = registry.load(name, version).metadata();
        ModelAliases aliases = registry.aliases(name);
        String role = ModelViews.role(aliases, version);
        out.println("model " + name + " version " + version + (role.isEmpty() ? "" : ", " + role));
        ModelTable fields = new ModelTable().text("FIELD").text("VALUE");
        fields.row("sha256", m.sha256() + " (matches the file)");
        fields.row("location", registry.uri(name, version));
        fields.row("algorithm", m.algorithm());
        fields.row("hyperparameters", joined(m.hyperparameters()));
        fields.row(
                "input",
                m.input().tensorName() + " float[N, " + m.input().width() + "], in this order:");
        List<ModelFeature> features = m.input().features();
        for (int i = 0; i < features.size(); i++) {
            fields.row("  " + i, features.get(i).name() + " (" + features.get(i).type() + ")");
        }
        fields.row(
                "feature views",
                m.input().featureViewVersions().entrySet().stream()
                        .map(e -> e.getKey() + " v" + e.getValue())
                        .collect(Collectors.joining(", ")));
        fields.row("output", m.outputName());
        fields.row("training window", ModelViews.period(m.trainingWindow()));
        fields.row("label cut-off", m.labelCutoff());
        fields.row("parent version", m.parentVersion());
        fields.row("code version", m.codeVersion());
        fields.row("registered", m.registeredAt() + " by " + m.registeredBy());
        fields.row("reference profile", m.referenceProfile() == null ? "none" : "yes");
        fields.print(out);
        if (!m.metrics().isEmpty()) {
            out.println();
            ModelTable metrics = new ModelTable().text("METRIC (AT REGISTRATION)").number("VALUE");
            m.metrics().forEach((k, v) -> metrics.row(k, format(k, v)));
            metrics.print(out);
        }

        ModelEvaluationLog log = new ModelEvaluationLog(registry.root());
        List<ModelEvaluationLog.Entry> evaluations = log.of(name, version);
        out.println();
        if (evaluations.isEmpty()) {
            out.println("no offline evaluations stored (vigil model evaluate " + name + " ...)");
            return;
        }
        out.println("offline evaluations (" + registry.root().relativize(log.file(name)) + "):");
        ModelTable table =
                new ModelTable()
                        .text("EVALUATED (UTC)")
                        .text("TEST PERIOD")
                        .text("LABEL CUT-OFF")
                        .text("PROTOCOL")
                        .number("ROWS")
                        .number("FRAUDS")
                        .number("AUC ROC")
                        .number("AP")
                        .number("K")
                        .number("CP@K")
                        .text("COMPARED WITH");
        for (ModelEvaluationLog.Entry e : evaluations) {
            table.row(
                    ModelViews.timestamp(e.evaluatedAt()),
                    ModelViews.period(e.from(), e.to()),
                    ModelViews.instant(e.labelCutoff()),
                    e.protocol(),
                    ModelTable.count(e.rows()),
                    ModelTable.count(e.frauds()),
                    ModelTable.metric(e.metrics(), "test_auc_roc"),
                    ModelTable.metric(e.metrics(), "test_average_precision"),
                    e.k(),
                    ModelTable.metric(e.metrics(), "test_card_precision_at_" + e.k()),
                    e.comparedWith().isEmpty() ? "-" : String.join(", ", e.comparedWith()));
        }
        table.print(out);
    }

    private static String joined(Map<String, String> map) {
        return map.isEmpty()
                ? "-"
                : map.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", "));
    }

    // Counts are stored as doubles in the metrics map; print them as counts.
    private static String format(String key, double value) {
        return key.endsWith("_rows") || key.endsWith("_frauds")
                ? ModelTable.count(value)
                : key.endsWith("difference") ? Double.toString(value) : ModelTable.metric(value);
    }
}
