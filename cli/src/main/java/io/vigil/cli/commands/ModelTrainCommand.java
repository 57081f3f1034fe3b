package io.vigil.cli.commands;

import io.vigil.cli.Converters;
import io.vigil.cli.KafkaOptions;
import io.vigil.cli.ProgressOptions;
import io.vigil.cli.Usage;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.trainer.ModelSelection;
import io.vigil.trainer.TrainingResult;
import io.vigil.trainer.evaluation.Evaluation;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil model train}: point-in-time training from the feature log and the labels in Kafka.
 * The window {@code [--train-from, --train-to)} is split: the last {@code --validation} of it is
 * the validation period that picks each algorithm's hyperparameters, the rest is what the models
 * are fitted on. Logistic regression and XGBoost are trained ({@link TrainingRun}, each over its
 * default grid) and both registered as {@code VERSION-logreg} and {@code VERSION-xgboost}, with the
 * current champion as parent version. Nothing is registered unless both trained.
 */
@Command(
        name = "train",
        description = {
            "Train logistic regression and XGBoost on the feature log (read from the beginning to"
                    + " its end offsets) with the labels known at --cutoff, and register both.",
            "The last --validation of [--train-from, --train-to) selects each algorithm's"
                    + " hyperparameters; the models are fitted on the rest. Dates mean 00:00 UTC;"
                    + " every period is [from, to).",
            "Both versions record the decision bands --review-from and --decline-from."
        },
        footer = {
            "",
            "Example (the Fraud Detection Handbook's week; labels arrive after 7 days):",
            "  vigil model train --name fraud --train-from 2018-07-25 --train-to 2018-08-01",
            "",
            "Model events (REGISTERED) go to <prefix>model-events only when --bootstrap or"
                    + " $VIGIL_BOOTSTRAP names the Kafka cluster; otherwise only to the audit log."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ModelTrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(
            names = "--version",
            paramLabel = "VERSION",
            description =
                    "Version stem: registers VERSION-logreg and VERSION-xgboost (default: one more"
                            + " than the highest numbered version, or 1).")
    String version;

    @Option(
            names = "--train-from",
            required = true,
            paramLabel = "DATE|INSTANT",
            converter = ModelConverters.InstantConverter.class,
            description = "Start of the labelled window (inclusive).")
    Instant trainFrom;

    @Option(
            names = "--train-to",
            required = true,
            paramLabel = "DATE|INSTANT",
            converter = ModelConverters.InstantConverter.class,
            description = "End of the labelled window (exclusive).")
    Instant trainTo;

    @Option(
            names = "--cutoff",
            paramLabel = "DATE|INSTANT",
            converter = ModelConverters.InstantConverter.class,
            description =
                    "Labels known (label time) at this instant are used, later ones not (default:"
                            + " --train-to + --label-delay).")
    Instant cutoff;

    @Option(
            names = "--label-delay",
            paramLabel = "DURATION",
            defaultValue = "P7D",
            converter = Converters.DurationConverter.class,
            description =
                    "An unlabelled transaction this old at the cut-off is legitimate (default:"
                            + " ${DEFAULT-VALUE}, the handbook's).")
    Duration labelDelay;

    @Mixin TrainingOptions training;

    @Mixin ModelBandsOptions bands;

    @Mixin ModelRegistryOptions where;

    @Mixin ModelChangeOptions change;

    @Mixin KafkaOptions kafka;

    @Mixin ProgressOptions progress;

    @Override
    public Integer call() {
        TopicRegistry topics = Usage.check(spec, kafka::topics);
        Usage.check(spec, () -> ModelMetadata.checkId("model name", name));
        Instant labelCutoff = cutoff != null ? cutoff : trainTo.plus(labelDelay);
        List<String> existing = existingVersions();
        String stem = version != null ? version : TrainingRun.nextVersion(existing);
        String parent = existing.isEmpty() ? null : currentChampion();
        TrainingRun.Settings settings =
                Usage.check(spec, () -> training.settings(labelDelay, bands.bands()));
        TrainingRun run =
                Usage.check(
                        spec,
                        () ->
                                TrainingRun.plan(
                                        name,
                                        stem,
                                        parent,
                                        trainFrom,
                                        trainTo,
                                        labelCutoff,
                                        settings,
                                        "--train-from",
                                        "--train-to"));
        run.requireNewVersions(existing);

        PrintWriter out = spec.commandLine().getOut();
        FeaturesTopicReader reader =
                new FeaturesTopicReader(
                        kafka, Usage.check(spec, progress::mode), spec.commandLine().getErr());
        FeaturesLogSlice slice = run.read(reader, topics);
        slice.printSummary(out);
        run.requireLabelledRows(slice);
        out.println(run.describePeriods());
        out.flush();

        List<TrainingResult> results = run.train(slice);
        printSets(out, results.get(0));
        printCandidates(out, results, settings);

        try (ModelRegistryWriter writer = ModelRegistryWriter.open(spec, where, kafka, true)) {
            Attribution by =
                    change.attribution(
                            "vigil model train "
                                    + ModelViews.period(trainFrom, trainTo)
                                    + " cut-off "
                                    + labelCutoff);
            List<ModelMetadata> stored = TrainingRun.register(writer.registry(), results, by);
            out.println();
            out.println(
                    "registered in "
                            + writer.registry().root().toAbsolutePath()
                            + " (parent version "
                            + ModelViews.orNone(parent)
                            + ", code version "
                            + settings.codeVersion()
                            + "):");
            ModelViews.versionsTable(stored, writer.registry().aliases(name)).print(out);
            out.println(writer.eventNote(name, stored.size()));
            out.println(
                    "next: vigil model evaluate "
                            + name
                            + " --versions "
                            + stored.stream()
                                    .map(ModelMetadata::version)
                                    .collect(Collectors.joining(","))
                            + " --from ... --to ...");
        }
        out.flush();
        return 0;
    }

    private List<String> existingVersions() {
        if (!where.exists()) {
            return List.of();
        }
        return registry().versions(name).stream().map(ModelMetadata::version).toList();
    }

    private String currentChampion() {
        return registry().aliases(name).champion();
    }

    private FileSystemModelRegistry registry() {
        return FileSystemModelRegistry.open(where.root(), ModelEventPublisher.none());
    }

    private void printSets(PrintWriter out, TrainingResult result) {
        out.printf(
                Locale.ROOT,
                "training set: %,d rows, %,d frauds (%,d left out: no label yet and younger than"
                        + " the label delay)%n",
                result.train().frauds() + result.train().legitimate(),
                result.train().frauds(),
                result.train().tooRecent());
        out.printf(
                Locale.ROOT,
                "validation set: %,d rows, %,d frauds (%,d left out)%n",
                result.validation().frauds() + result.validation().legitimate(),
                result.validation().frauds(),
                result.validation().tooRecent());
    }

    private static void printCandidates(
            PrintWriter out, List<TrainingResult> results, TrainingRun.Settings settings) {
        out.println();
        out.println(
                "candidates on the validation period (selected by "
                        + settings.selectBy().name().toLowerCase(Locale.ROOT)
                        + ", *):");
        ModelTable table =
                new ModelTable()
                        .text("")
                        .text("ALGORITHM")
                        .text("HYPERPARAMETERS")
                        .number("AUC ROC")
                        .number("AP")
                        .number("CP@" + settings.k());
        for (TrainingResult result : results) {
            Map<String, String> chosen = result.draft().hyperparameters();
            for (ModelSelection.Candidate c : result.candidates()) {
                Evaluation e = c.validation();
                table.row(
                        c.hyperparameters().equals(chosen)
                                        && c.algorithm().equals(result.draft().algorithm())
                                ? "*"
                                : "",
                        c.algorithm(),
                        c.hyperparameters().entrySet().stream()
                                .map(h -> h.getKey() + "=" + h.getValue())
                                .sorted()
                                .collect(Collectors.joining(" ")),
                        ModelTable.metric(e.aucRoc()),
                        ModelTable.metric(e.averagePrecision()),
                        ModelTable.metric(e.cardPrecision().mean()));
            }
        }
        table.print(out);
    }
}
