package io.vigil.cli.commands;

import io.vigil.cli.FeedOptions;
import io.vigil.cli.KafkaFeedRunner;
import io.vigil.cli.KafkaOptions;
import io.vigil.cli.Progress;
import io.vigil.cli.Usage;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.simulator.csv.HandbookCsvReader;
import io.vigil.simulator.csv.MalformedRow;
import io.vigil.simulator.feed.FeedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil replay FILE}: produces a CSV in the Fraud Detection Handbook's layout (plain or .gz)
 * to Kafka like {@code simulate} does, each row's label at its time plus the label delay. Malformed
 * rows are reported on stderr (the first {@code --show-errors}, then a count) and skipped.
 */
@Command(
        name = "replay",
        description = "Produce a handbook-layout CSV (optionally gzip) and its labels into Kafka.",
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ReplayCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "CSV file, e.g. handbook-raw.csv.gz.")
    Path file;

    @Mixin KafkaOptions kafka;

    @Mixin FeedOptions feed;

    @Option(
            names = "--show-errors",
            defaultValue = "20",
            paramLabel = "N",
            description =
                    "Print the first N malformed rows (default: ${DEFAULT-VALUE}); all are counted.")
    int showErrors;

    @Override
    public Integer call() throws IOException {
        FeedConfig feedConfig = Usage.check(spec, feed::feedConfig);
        TopicRegistry topics = Usage.check(spec, kafka::topics);
        Progress.Mode progressMode = Usage.check(spec, feed::progressMode);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long rows = countRows();
        AtomicLong shown = new AtomicLong();
        try (HandbookCsvReader reader =
                open(
                        row -> {
                            if (shown.incrementAndGet() <= showErrors) {
                                err.println(
                                        file
                                                + ":"
                                                + row.line()
                                                + ": "
                                                + row.reason()
                                                + ": "
                                                + row.text());
                                err.flush();
                            }
                        })) {
            new KafkaFeedRunner(kafka, feed, out, err)
                    .run(feedConfig, topics, progressMode, reader, rows);
            out.printf(
                    Locale.ROOT,
                    "read %,d rows of %s: %,d malformed, skipped%n",
                    reader.rowsRead(),
                    file,
                    reader.malformedRows());
            out.flush();
        }
        return 0;
    }

    // One quick pass for the progress bar's total (about half a second for the 1.75 M-row file).
    private long countRows() throws IOException {
        try (HandbookCsvReader reader = open(row -> {})) {
            long n = 0;
            while (reader.hasNext()) {
                reader.next();
                n++;
            }
            return n;
        }
    }

    private HandbookCsvReader open(Consumer<MalformedRow> onMalformed) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        return HandbookCsvReader.open(file, onMalformed);
    }
}
