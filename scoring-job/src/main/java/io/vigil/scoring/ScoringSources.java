package io.vigil.scoring;

import io.vigil.features.records.InputRecord;
import io.vigil.features.serde.InputRecordDeserializer;
import io.vigil.scoring.records.ControlEvent;
import io.vigil.scoring.serde.ControlEventDeserializer;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's inputs: transactions (decoded, malformed ones kept for the dead-letter topic), model
 * events (all of them on a first start, so the registry's current roles are rebuilt) and labels
 * (from {@code labelRetention} ago on a first start: older ones are in Redis already).
 */
public record ScoringSources(
        Source<InputRecord, ?, ?> transactions,
        Source<ControlEvent, ?, ?> modelEvents,
        Source<ControlEvent, ?, ?> labels) {

    public static ScoringSources kafka(ScoringJobConfig config) {
        OffsetsInitializer transactionsFrom =
                switch (config.startingOffsets()) {
                    case COMMITTED ->
                            OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                    case EARLIEST -> OffsetsInitializer.earliest();
                    case LATEST -> OffsetsInitializer.latest();
                };
        long labelsFrom = System.currentTimeMillis() - config.labelRetention().toMillis();
        return new ScoringSources(
                source(
                        config,
                        config.topics().transactions(),
                        transactionsFrom,
                        InputRecordDeserializer.transactions()),
                source(
                        config,
                        config.topics().modelEvents(),
                        OffsetsInitializer.earliest(),
                        ControlEventDeserializer.modelEvents()),
                source(
                        config,
                        config.topics().labels(),
                        OffsetsInitializer.timestamp(labelsFrom),
                        ControlEventDeserializer.labels()));
    }

    private static <T> KafkaSource<T> source(
            ScoringJobConfig config,
            String topic,
            OffsetsInitializer from,
            KafkaRecordDeserializationSchema<T> deserializer) {
        return KafkaSource.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(topic)
                .setGroupId(config.groupId())
                .setClientIdPrefix(config.groupId() + "-" + topic)
                .setStartingOffsets(from)
                .setDeserializer(deserializer)
                // Kafka's default fetch.max.wait.ms (500 ms) stays: the broker answers a waiting
                // fetch as soon as a record arrives, so a shorter wait adds no speed, only idle
                // fetches (5 ms meant ~1,200 a second from the job's six readers).
                .build();
    }
}
