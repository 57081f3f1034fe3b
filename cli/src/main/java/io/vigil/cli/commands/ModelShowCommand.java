package io.vigil.cli.commands;

import io.vigil.cli.Usage;
import io.vigil.models.ModelFeature;
import io.vigil.models.ModelMetadata;
import io.vigil.models.OfflineEvaluation;
import io.vigil.models.registry.AuditEntry;
import io.vigil.models.registry.EvaluationEntry;
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
 * version's metadata (its ONNX file checked against the recorded sha256) and its latest offline
 * evaluation.
 */
@Command(
        name = "show",
        description = {
            "Show a model, or one of its versions in detail.",
            "Without VERSION: the model's aliases, versions and its last audit entries.",
            "With VERSION: everything its metadata records (decision bands included), its latest"
                    + " offline evaluation (and the history when there are several), and a check"
                    + " of the ONNX file against the recorded sha256 (a mismatch fails)."
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
        fields.row("decision bands", m.decisionBands());
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

        List<EvaluationEntry> evaluations = registry.evaluations(name, version);
        out.println();
        if (evaluations.isEmpty()) {
            out.println("no offline evaluations recorded (vigil model evaluate " + name + " ...)");
            return;
        }
        EvaluationEntry latest = evaluations.get(evaluations.size() - 1);
        OfflineEvaluation e = latest.evaluation();
        out.println(
                "latest offline evaluation (of "
                        + evaluations.size()
                        + ", in "
                        + name
                        + "/evaluations.jsonl):");
        ModelTable detail = new ModelTable().text("FIELD").text("VALUE");
        detail.row(
                "evaluated",
                ModelViews.timestamp(latest.evaluatedAt()) + " UTC by " + latest.evaluatedBy());
        detail.row("test period", ModelViews.period(e.from(), e.to()));
        detail.row(
                "labels",
                "known at "
                        + e.labelCutoff()
                        + ", label delay "
                        + ModelViews.duration(e.labelDelay()));
        detail.row(
                "protocol",
                e.knownSince() == null
                        ? e.protocol()
                        : e.protocol()
                                + " (cards with a fraud reported since "
                                + ModelViews.instant(e.knownSince())
                                + " left out)");
        detail.row(
                "rows",
                ModelTable.count(e.rows()) + ", " + ModelTable.count(e.frauds()) + " frauds");
        e.metrics().forEach((key, value) -> detail.row(key, ModelTable.metric(value)));
        detail.row("compared with", compared(e));
        detail.print(out);
        if (evaluations.size() > 1) {
            out.println();
            out.println("all evaluations, oldest first:");
            history(evaluations).print(out);
        }
    }

    private static ModelTable history(List<EvaluationEntry> evaluations) {
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
        for (EvaluationEntry entry : evaluations) {
            OfflineEvaluation e = entry.evaluation();
            table.row(
                    ModelViews.timestamp(entry.evaluatedAt()),
                    ModelViews.period(e.from(), e.to()),
                    ModelViews.instant(e.labelCutoff()),
                    e.protocol(),
                    ModelTable.count(e.rows()),
                    ModelTable.count(e.frauds()),
                    ModelTable.metric(e.metrics(), "test_auc_roc"),
                    ModelTable.metric(e.metrics(), "test_average_precision"),
                    e.k(),
                    ModelTable.metric(e.metrics(), "test_card_precision_at_" + e.k()),
                    compared(e));
        }
        return table;
    }

    private static String compared(OfflineEvaluation e) {
        return e.comparedWith().isEmpty() ? "-" : String.join(", ", e.comparedWith());
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
