package io.vigil.cli.commands;

import io.vigil.models.ModelRegistryException;
import io.vigil.models.registry.RegistryJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Offline evaluations of registered versions, kept beside the registry's own files in {@code
 * <registry>/<model>/evaluations.jsonl} (one JSON line per version and run, appended). Versions and
 * their {@code metadata.json} are immutable, and the registry API has no place for metrics measured
 * after registration, so they are stored here; the registry ignores the file.
 */
final class ModelEvaluationLog {

    static final String FILE = "evaluations.jsonl";

    /**
     * One evaluation of one version.
     *
     * @param metrics {@code test_auc_roc}, {@code test_average_precision}, {@code
     *     test_card_precision_at_<k>}
     * @param protocol {@code vigil} or {@code handbook} (see {@code vigil model evaluate --help})
     * @param knownSince handbook protocol: cards with a fraud since then were left out; else null
     * @param comparedWith the other versions evaluated on the same rows in the same run
     */
    record Entry(
            Instant evaluatedAt,
            String evaluatedBy,
            String model,
            String version,
            Instant from,
            Instant to,
            Instant labelCutoff,
            String labelDelay,
            String protocol,
            Instant knownSince,
            int k,
            long rows,
            long frauds,
            Map<String, Double> metrics,
            List<String> comparedWith,
            String featuresTopic,
            String labelsTopic) {}

    private final Path root;

    ModelEvaluationLog(Path registryRoot) {
        this.root = registryRoot;
    }

    Path file(String model) {
        return root.resolve(model).resolve(FILE);
    }

    /** Appends the entries of one run, under the registry's writer lock file. */
    void append(String model, List<Entry> entries) {
        StringBuilder lines = new StringBuilder();
        entries.forEach(e -> lines.append(RegistryJson.line(e)).append('\n'));
        Path file = file(model);
        // The registry's lock file orders this append with other processes' registry writes.
        try (FileChannel lock =
                        FileChannel.open(
                                root.resolve(".lock"),
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                FileLock ignored = lock.lock();
                FileChannel channel =
                        FileChannel.open(
                                file,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE,
                                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new ModelRegistryException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The evaluations of {@code version}, oldest first. */
    List<Entry> of(String model, String version) {
        Path file = file(model);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ModelRegistryException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                Entry entry =
                        RegistryJson.read(
                                lines.get(i).getBytes(StandardCharsets.UTF_8), Entry.class);
                if (entry.version().equals(version)) {
                    entries.add(entry);
                }
            } catch (IOException e) {
                throw new ModelRegistryException(
                        "cannot read " + file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }
}
