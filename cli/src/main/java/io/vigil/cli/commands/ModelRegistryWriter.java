package io.vigil.cli.commands;

import io.vigil.cli.KafkaOptions;
import io.vigil.cli.KafkaTopics;
import io.vigil.cli.Usage;
import io.vigil.models.registry.AuditEntry;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.KafkaModelEventPublisher;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.models.registry.ModelEventsConfig;
import io.vigil.schemas.topics.TopicSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The registry opened for a change, with its model events published to {@code <prefix>model-events}
 * when a Kafka cluster was named ({@code --bootstrap} or {@code $VIGIL_BOOTSTRAP}), else recorded
 * only in the audit log. Kafka is checked (and the topic created if missing) before anything
 * changes, so an unreachable broker refuses the command instead of leaving a stored but unpublished
 * change.
 */
final class ModelRegistryWriter implements AutoCloseable {

    /** For the help of every command that changes the registry. */
    static final String EVENTS_NOTE =
            "The model event goes to <prefix>model-events only when --bootstrap or $VIGIL_BOOTSTRAP"
                    + " names a Kafka cluster; otherwise the change is recorded in the audit log"
                    + " only.";

    private final FileSystemModelRegistry registry;
    private final KafkaModelEventPublisher publisher;
    private final String destination;

    private ModelRegistryWriter(
            FileSystemModelRegistry registry,
            KafkaModelEventPublisher publisher,
            String destination) {
        this.registry = registry;
        this.publisher = publisher;
        this.destination = destination;
    }

    /**
     * Opens the registry for a change; {@code create} allows a new registry directory (register,
     * train), otherwise a missing one is an error, so a refused alias change leaves no trace.
     */
    static ModelRegistryWriter open(
            CommandSpec spec, ModelRegistryOptions where, KafkaOptions kafka, boolean create) {
        Path root = where.root();
        if (!create) {
            where.openForReading(); // fails naming the directory when there is no registry
        }
        if (!publishes(spec)) {
            return new ModelRegistryWriter(
                    FileSystemModelRegistry.open(root, ModelEventPublisher.none()), null, null);
        }
        TopicSpec<?> topic = Usage.check(spec, () -> kafka.topics().modelEvents());
        try (KafkaTopics topics = new KafkaTopics(kafka)) {
            topics.ensureExist(List.of(topic));
        }
        KafkaModelEventPublisher publisher =
                new KafkaModelEventPublisher(
                        new ModelEventsConfig(
                                kafka.bootstrap(),
                                topic.name(),
                                kafka.timeout(),
                                kafka.fileSettings()));
        try {
            return new ModelRegistryWriter(
                    FileSystemModelRegistry.open(root, publisher),
                    publisher,
                    topic.name() + " at " + kafka.bootstrap());
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    /** Events go to Kafka only when the user named a cluster; the default address is not enough. */
    static boolean publishes(CommandSpec spec) {
        String env = System.getenv("VIGIL_BOOTSTRAP");
        return spec.commandLine().getParseResult().hasMatchedOption("--bootstrap")
                || (env != null && !env.isBlank());
    }

    FileSystemModelRegistry registry() {
        return registry;
    }

    /** Where the latest change of {@code model} was announced, as one line. */
    String eventNote(String model) {
        return eventNote(model, 1);
    }

    /** Where the latest {@code changes} changes of {@code model} were announced, as one line. */
    String eventNote(String model, int changes) {
        List<AuditEntry> audit = registry.audit(model);
        String ids =
                audit.subList(Math.max(0, audit.size() - changes), audit.size()).stream()
                        .map(AuditEntry::eventId)
                        .collect(Collectors.joining(", "));
        String events = (changes == 1 ? "model event " : "model events ") + ids;
        if (publisher != null) {
            return events + " published to " + destination;
        }
        return events
                + " not published (no --bootstrap or $VIGIL_BOOTSTRAP): only in the audit log "
                + registry.root().resolve(model).resolve("audit.jsonl");
    }

    /** Prints what changed, the model's aliases now, and where the event went. */
    void printChange(PrintWriter out, String summary, ModelAliases after) {
        out.println(summary);
        ModelViews.printAliases(out, after);
        out.println(eventNote(after.model()));
        out.flush();
    }

    @Override
    public void close() {
        if (publisher != null) {
            publisher.close();
        }
    }
}
