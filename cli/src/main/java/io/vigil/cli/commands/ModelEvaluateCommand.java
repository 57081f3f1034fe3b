package io.vigil.cli.commands;

import io.vigil.cli.Converters;
import io.vigil.cli.KafkaOptions;
import io.vigil.cli.ProgressOptions;
import io.vigil.cli.Usage;
import io.vigil.models.ModelArtifact;
import io.vigil.models.ModelMetadata;
import io.vigil.models.OfflineEvaluation;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelRegistry;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.trainer.evaluation.Evaluation;
import io.vigil.trainer.evaluation.ModelEvaluation;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil model evaluate NAME --versions a,b --from --to}: scores the test period's
 * feature-log rows with each version through ONNX Runtime (as the scoring job would), labels them
 * as known at the cut-off, and prints AUC ROC, average precision and Card Precision@k side by side.
 * Each result is recorded through {@link ModelRegistry#recordEvaluation} (the version's evaluation
 * history, audited and announced; its metadata stays immutable) and shown by {@code vigil model
 * show NAME VERSION}.
 */
@Command(
        name = "evaluate",
        description = {
            "Evaluate registered versions on a test period of the feature log, on the same rows,"
                    + " and record the metrics in each version's evaluation history"
                    + " (<registry>/<model>/evaluations.jsonl, audited; version metadata is"
                    + " immutable).",
            "Labels are those known at --cutoff (default: --to + --label-delay, when the"
                    + " period's labels are complete)."
        },
        footer = {"", ModelRegistryWriter.EVENTS_NOTE},
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ModelEvaluateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(
            names = "--versions",
            split = ",",
            paramLabel = "VERSION",
            description = "Versions to compare (default: the champion, then the challenger).")
    List<String> versions;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "DATE|INSTANT",
            converter = ModelConverters.InstantConverter.class,
            description = "Start of the test period (inclusive).")
    Instant from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "DATE|INSTANT",
            converter = ModelConverters.InstantConverter.class,
            description = "End of the test period (exclusive).")
    Instant to;

    @Option(
            names = "--cutoff",
            paramLabel = "DATE|INSTANT",
            converter = ModelConverters.InstantConverter.class,
            description = "Labels known at this instant are used (default: --to + --label-delay).")
    Instant cutoff;

    @Option(
            names = "--label-delay",
            paramLabel = "DURATION",
            defaultValue = "P7D",
            converter = Converters.DurationConverter.class,
            description =
                    "An unlabelled transaction this old at the cut-off is legitimate (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration labelDelay;

    @Option(
            names = "--k",
            paramLabel = "K",
            defaultValue = "100",
            description =
                    "Cards investigators check a day, for Card Precision@k (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--protocol",
            paramLabel = "handbook|vigil",
            defaultValue = "handbook",
            converter = ModelConverters.ProtocolConverter.class,
            description = {
                "handbook (default): the Fraud Detection Handbook's test set (section 3.4), as"
                        + " production sees it when reported cards are blocked: transactions of"
                        + " cards with a fraud reported before their day, for a transaction since"
                        + " the earliest training window start of the versions, are left out of"
                        + " every metric; Card Precision@k skips only cards detected earlier in"
                        + " the period.",
                "vigil: every transaction of the period; Card Precision@k skips cards with any"
                        + " fraud reported before the day, and cards detected earlier in the"
                        + " period."
            })
    ModelConverters.Protocol protocol;

    @Mixin ModelRegistryOptions where;

    @Mixin ModelChangeOptions change;

    @Mixin KafkaOptions kafka;

    @Mixin ProgressOptions progress;

    @Override
    public Integer call() {
        TopicRegistry topics = Usage.check(spec, kafka::topics);
        Instant labelCutoff = cutoff != null ? cutoff : to.plus(labelDelay);
        Usage.check(spec, () -> validate(labelCutoff));
        FileSystemModelRegistry registry = where.openForReading();
        ModelAliases aliases = registry.aliases(name);
        List<String> compared = versions != null ? versions : rolesOf(aliases);
        // Loading checks every file's sha256 before the (long) read of the feature log.
        List<ModelArtifact> artifacts = new ArrayList<>();
        for (String v : compared) {
            artifacts.add(registry.load(name, v));
        }

        PrintWriter out = spec.commandLine().getOut();
        FeaturesTopicReader reader =
                new FeaturesTopicReader(
                        kafka, Usage.check(spec, progress::mode), spec.commandLine().getErr());
        FeaturesLogSlice read = FeaturesLogSlice.read(reader, topics, from, to);
        read.printSummary(out);
        Instant knownSince = null;
        FeaturesLogSlice slice = read;
        if (protocol == ModelConverters.Protocol.HANDBOOK) {
            knownSince =
                    artifacts.stream()
                            .map(m -> m.metadata().trainingWindow().from())
                            .min(Instant::compareTo)
                            .orElseThrow();
            slice = read.withoutKnownCompromisedCards(knownSince);
            out.printf(
                    Locale.ROOT,
                    "handbook protocol: %,d of %,d rows left out (cards with a fraud reported"
                            + " before their day, for a transaction since %s)%n",
                    read.rows().size() - slice.rows().size(),
                    read.rows().size(),
                    ModelViews.instant(knownSince));
        }
        slice.requireLabelledRows("test period", from, to, labelCutoff);

        Map<String, Evaluation> results = new LinkedHashMap<>();
        for (ModelArtifact artifact : artifacts) {
            results.put(
                    artifact.metadata().version(),
                    ModelEvaluation.evaluate(
                            artifact,
                            slice.rows(),
                            slice.labels(),
                            from,
                            to,
                            labelCutoff,
                            labelDelay,
                            k));
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "model %s on the test period %s, labels known at %s, %s protocol:%n",
                name,
                ModelViews.period(from, to),
                labelCutoff,
                protocol.name().toLowerCase(Locale.ROOT));
        table(aliases, artifacts, results).print(out);
        if (results.values().stream().map(e -> e.rows() + "/" + e.frauds()).distinct().count()
                > 1) {
            out.println(
                    "note: the versions saw different rows (their feature view versions differ),"
                            + " so their metrics are not strictly comparable");
        }

        try (ModelRegistryWriter writer = ModelRegistryWriter.open(spec, where, kafka, false)) {
            Attribution by =
                    change.attribution(
                            "vigil model evaluate "
                                    + ModelViews.period(from, to)
                                    + " "
                                    + protocol.name().toLowerCase(Locale.ROOT)
                                    + " protocol");
            for (Map.Entry<String, Evaluation> result : results.entrySet()) {
                String version = result.getKey();
                List<String> others =
                        results.keySet().stream().filter(v -> !v.equals(version)).toList();
                writer.registry()
                        .recordEvaluation(
                                name,
                                version,
                                offline(topics, result.getValue(), labelCutoff, knownSince, others),
                                by);
            }
            out.println(
                    "recorded in the evaluation history "
                            + writer.registry()
                                    .root()
                                    .resolve(name)
                                    .resolve("evaluations.jsonl")
                                    .toAbsolutePath());
            out.println(writer.eventNote(name, results.size()));
        }
        out.flush();
        return 0;
    }

    private Void validate(Instant labelCutoff) {
        ModelMetadata.checkId("model name", name);
        if (versions != null) {
            if (versions.isEmpty()) {
                throw new IllegalArgumentException("--versions needs at least one version");
            }
            versions.forEach(v -> ModelMetadata.checkId("version of model " + name, v));
            if (versions.stream().distinct().count() < versions.size()) {
                throw new IllegalArgumentException("--versions lists a version twice: " + versions);
            }
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
        }
        if (labelCutoff.isBefore(to)) {
            throw new IllegalArgumentException(
                    "--cutoff " + labelCutoff + " is before the end of the test period " + to);
        }
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException("--label-delay must not be negative");
        }
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        return null;
    }

    private List<String> rolesOf(ModelAliases aliases) {
        List<String> roles = new ArrayList<>();
        if (aliases.champion() != null) {
            roles.add(aliases.champion());
        }
        if (aliases.challenger() != null) {
            roles.add(aliases.challenger().version());
        }
        if (roles.isEmpty()) {
            throw new IllegalStateException(
                    "model "
                            + name
                            + " has no champion or challenger: name the versions with --versions");
        }
        return roles;
    }

    private ModelTable table(
            ModelAliases aliases, List<ModelArtifact> artifacts, Map<String, Evaluation> results) {
        ModelTable table =
                new ModelTable()
                        .text("VERSION")
                        .text("ROLE")
                        .text("ALGORITHM")
                        .number("ROWS")
                        .number("FRAUDS")
                        .number("AUC ROC")
                        .number("AP")
                        .number("CP@" + k);
        for (ModelArtifact artifact : artifacts) {
            ModelMetadata m = artifact.metadata();
            Evaluation e = results.get(m.version());
            table.row(
                    m.version(),
                    ModelViews.role(aliases, m.version()),
                    m.algorithm(),
                    ModelTable.count(e.rows()),
                    ModelTable.count(e.frauds()),
                    ModelTable.metric(e.aucRoc()),
                    ModelTable.metric(e.averagePrecision()),
                    ModelTable.metric(e.cardPrecision().mean()));
        }
        if (artifacts.size() == 2) {
            Evaluation a = results.get(artifacts.get(0).metadata().version());
            Evaluation b = results.get(artifacts.get(1).metadata().version());
            table.row(
                    "difference",
                    "2nd - 1st",
                    "",
                    "",
                    "",
                    ModelTable.delta(b.aucRoc() - a.aucRoc()),
                    ModelTable.delta(b.averagePrecision() - a.averagePrecision()),
                    ModelTable.delta(b.cardPrecision().mean() - a.cardPrecision().mean()));
        }
        return table;
    }

    private OfflineEvaluation offline(
            TopicRegistry topics,
            Evaluation e,
            Instant labelCutoff,
            Instant knownSince,
            List<String> comparedWith) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        e.asMetrics("test_")
                .forEach(
                        (key, value) -> {
                            // Counts have their own fields; NaN (no day) is not JSON.
                            if (!key.equals("test_rows")
                                    && !key.equals("test_frauds")
                                    && Double.isFinite(value)) {
                                metrics.put(key, value);
                            }
                        });
        return new OfflineEvaluation(
                from,
                to,
                labelCutoff,
                labelDelay,
                protocol.name().toLowerCase(Locale.ROOT),
                knownSince,
                k,
                e.rows(),
                e.frauds(),
                metrics,
                comparedWith,
                topics.features().name(),
                topics.labels().name());
    }
}
