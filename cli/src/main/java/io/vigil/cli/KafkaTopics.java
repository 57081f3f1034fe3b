package io.vigil.cli;

import io.vigil.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The admin operations the commands need, each bounded by the Kafka timeout and failing with a
 * message that names the broker address.
 */
public final class KafkaTopics implements AutoCloseable {

    private final Admin admin;
    private final KafkaOptions kafka;

    public KafkaTopics(KafkaOptions kafka) {
        this.kafka = kafka;
        this.admin = Admin.create(kafka.clientProperties());
    }

    /** Names of the existing topics starting with {@code prefix}, sorted. */
    public List<String> topicsWithPrefix(String prefix) {
        return await(admin.listTopics().names(), "list topics").stream()
                .filter(name -> name.startsWith(prefix))
                .sorted()
                .toList();
    }

    /** Which of {@code topics} do not exist, in their order. */
    public List<String> missing(List<String> topics) {
        Map<String, KafkaFuture<TopicDescription>> descriptions =
                admin.describeTopics(topics).topicNameValues();
        List<String> missing = new ArrayList<>();
        for (String topic : topics) {
            try {
                await(descriptions.get(topic), "describe topics " + topics);
            } catch (KafkaUnavailableException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                missing.add(topic);
            }
        }
        return missing;
    }

    /**
     * Creates the topics that do not exist yet, with their registry partition count and the
     * broker's default replication factor; existing topics are left as they are.
     */
    public void ensureExist(Collection<TopicSpec<?>> specs) {
        Set<String> existing = await(admin.listTopics().names(), "list topics");
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec<?> spec : specs) {
            if (!existing.contains(spec.name())) {
                missing.add(
                        new NewTopic(
                                spec.name(), Optional.of(spec.partitions()), Optional.empty()));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            await(admin.createTopics(missing).all(), "create topics " + missing);
        } catch (KafkaUnavailableException e) {
            // Another producer may have created them meanwhile.
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        awaitLeaders(missing.stream().map(NewTopic::name).toList());
    }

    // A new topic's partitions get their leader shortly after the create call returns.
    private void awaitLeaders(List<String> topics) {
        long deadline = System.nanoTime() + kafka.timeout().toNanos();
        while (true) {
            if (haveLeaders(topics)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw noAnswer("elect leaders of the new topics " + topics);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaUnavailableException("interrupted while waiting for " + topics, e);
            }
        }
    }

    /**
     * How {@code topic} is laid out: partitions, replication factor and the settings made for the
     * topic itself (not the broker's defaults); empty when there is no such topic.
     */
    public Optional<TopicLayout> layout(String topic) {
        if (!await(admin.listTopics().names(), "list topics").contains(topic)) {
            return Optional.empty();
        }
        TopicDescription description =
                await(admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic)
                        .get(topic);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config =
                await(admin.describeConfigs(List.of(resource)).all(), "describe " + topic)
                        .get(resource);
        Map<String, String> own = new TreeMap<>();
        for (ConfigEntry entry : config.entries()) {
            if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                own.put(entry.name(), entry.value());
            }
        }
        return Optional.of(
                new TopicLayout(
                        description.partitions().size(),
                        (short) description.partitions().get(0).replicas().size(),
                        own));
    }

    /** Creates {@code topic} with {@code layout} and waits until its partitions have leaders. */
    public void create(String topic, TopicLayout layout) {
        NewTopic spec =
                new NewTopic(topic, layout.partitions(), layout.replicationFactor())
                        .configs(layout.configs());
        await(admin.createTopics(List.of(spec)).all(), "create topic " + topic);
        awaitLeaders(List.of(topic));
    }

    public void delete(String topic) {
        await(admin.deleteTopics(List.of(topic)).all(), "delete topic " + topic);
    }

    /** A topic's partitions, replication factor and its own (non-default) settings. */
    public record TopicLayout(
            int partitions, short replicationFactor, Map<String, String> configs) {
        public TopicLayout {
            configs = Map.copyOf(configs);
        }
    }

    /** Partitions and messages (end minus start offsets, summed over partitions) per topic. */
    public Map<String, TopicCount> counts(Collection<String> topics) {
        Map<String, TopicDescription> descriptions =
                await(admin.describeTopics(topics).allTopicNames(), "describe topics " + topics);
        List<TopicPartition> partitions = new ArrayList<>();
        descriptions.forEach(
                (name, description) ->
                        description
                                .partitions()
                                .forEach(
                                        p ->
                                                partitions.add(
                                                        new TopicPartition(name, p.partition()))));
        Map<TopicPartition, ListOffsetsResultInfo> starts =
                offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, OffsetSpec.latest());
        Map<String, TopicCount> counts = new TreeMap<>();
        for (String name : descriptions.keySet()) {
            counts.put(name, new TopicCount(descriptions.get(name).partitions().size(), 0, 0));
        }
        for (TopicPartition p : partitions) {
            long start = starts.get(p).offset();
            long end = ends.get(p).offset();
            counts.computeIfPresent(
                    p.topic(),
                    (name, c) ->
                            new TopicCount(
                                    c.partitions(),
                                    c.messages() + end - start,
                                    c.endOffsets() + end));
        }
        return counts;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(
            List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        return await(admin.listOffsets(request).all(), "list offsets");
    }

    /** A topic's size: messages = end − start offsets (retention and transaction markers count). */
    public record TopicCount(int partitions, long messages, long endOffsets) {}

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(kafka.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw noAnswer(what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw noAnswer(what);
            }
            throw new KafkaUnavailableException(
                    "Kafka at " + kafka.bootstrap() + " could not " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while waiting to " + what, e);
        }
    }

    private KafkaUnavailableException noAnswer(String what) {
        // One line without the client's own timeout text: the address and the remedy matter.
        return new KafkaUnavailableException(
                "no answer from Kafka at "
                        + kafka.bootstrap()
                        + " within "
                        + kafka.timeout().toSeconds()
                        + " s ("
                        + what
                        + "); is it running? (./vigil up, or --bootstrap / $VIGIL_BOOTSTRAP)"
                        + (kafka.fileSettings().isEmpty()
                                ? "; does it need client settings? (--kafka-properties)"
                                : ""),
                null);
    }

    private boolean haveLeaders(List<String> topics) {
        try {
            return await(admin.describeTopics(topics).allTopicNames(), "describe topics " + topics)
                    .values()
                    .stream()
                    .flatMap(d -> d.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (KafkaUnavailableException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false; // the broker has not seen the new topic yet
            }
            throw e;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }

    /**
     * Kafka cannot serve what a command needs now: it did not answer, refused an admin request, or
     * lacks a topic the command reads.
     */
    public static final class KafkaUnavailableException extends RuntimeException {
        public KafkaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
