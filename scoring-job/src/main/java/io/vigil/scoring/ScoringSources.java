package io.vigil.scoring;

import io.vigil.features.records.InputRecord;
import io.vigil.features.serde.InputRecordDeserializer;
import io.vigil.scoring.records.ControlEvent;
import io.vigil.scoring.serde.ControlEventDeserializer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * The job's inputs: transactions (decoded, malformed ones kept for the dead-letter topic) and the
 * control events of one source over two topics: model events (all of them on a first start, so the
 * registry's current roles are rebuilt) and labels (from {@code labelRetention} ago on a first
 * start: older ones are in Redis already). One source for both keeps the control path to one task
 * chained to its split, instead of two sources each with a network edge and output flusher.
 */
public record ScoringSources(
        Source<InputRecord, ?, ?> transactions, Source<ControlEvent, ?, ?> control) {

    public static ScoringSources kafka(ScoringJobConfig config) {
        OffsetsInitializer transactionsFrom =
                switch (config.startingOffsets()) {
                    case COMMITTED ->
                            OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                };
        long labelsFrom = System.currentTimeMillis() - config.labelRetention().toMillis();
        String modelEvents = config.topics().modelEvents();
        String labels = config.topics().labels();
        return new ScoringSources(
                source(
                        config,
                        List.of(config.topics().transactions()),
                        transactionsFrom,
                        InputRecordDeserializer.transactions()),
                source(
                        config,
                        List.of(modelEvents, labels),
                        new PerTopicOffsets(
                                Map.of(
                                        modelEvents,
                                        OffsetsInitializer.earliest(),
                                        labels,
                                        OffsetsInitializer.timestamp(labelsFrom))),
                        new ControlEventDeserializer(labels)));
    }

    private static <T> KafkaSource<T> source(
            ScoringJobConfig config,
            List<String> topics,
            OffsetsInitializer from,
            KafkaRecordDeserializationSchema<T> deserializer) {
        return KafkaSource.<T>builder()
                // First, so that the settings below win over the file's.
                .setProperties(config.kafkaProperties().properties())
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(topics)
                .setGroupId(config.groupId())
                .setClientIdPrefix(config.groupId() + "-" + String.join("+", topics))
                .setStartingOffsets(from)
                .setDeserializer(deserializer)
                // Kafka's default fetch.max.wait.ms (500 ms) stays: the broker answers a waiting
                // fetch as soon as a record arrives, so a shorter wait adds no speed, only idle
                // fetches (5 ms meant ~1,200 a second from the job's six readers).
                .build();
    }

    /** Each topic's partitions start where that topic's own initializer says. */
    record PerTopicOffsets(Map<String, OffsetsInitializer> byTopic) implements OffsetsInitializer {

        @Override
        public Map<TopicPartition, Long> getPartitionOffsets(
                Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            partitions.stream()
                    .collect(Collectors.groupingBy(TopicPartition::topic))
                    .forEach(
                            (topic, ofTopic) ->
                                    offsets.putAll(
                                            byTopic.get(topic)
                                                    .getPartitionOffsets(ofTopic, retriever)));
            return offsets;
        }

        // Only for offsets that fall out of range later: re-reading beats skipping control events.
        @Override
        public OffsetResetStrategy getAutoOffsetResetStrategy() {
            return OffsetResetStrategy.EARLIEST;
        }
    }
}
