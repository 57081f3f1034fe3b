package io.vigil.features;

import io.vigil.features.records.InputRecord;
import io.vigil.features.serde.InputRecordDeserializer;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The job's inputs: transactions and labels, each already decoded into {@link InputRecord}s so the
 * pipeline can assign event-time watermarks per source split (Kafka partition).
 */
public record FeatureSources(
        Source<InputRecord, ?, ?> transactions, Source<InputRecord, ?, ?> labels) {

    /** Kafka sources as configured. */
    public static FeatureSources kafka(FeatureJobConfig config) {
        return new FeatureSources(
                kafkaSource(
                        config, config.transactionsTopic(), InputRecordDeserializer.transactions()),
                kafkaSource(config, config.labelsTopic(), InputRecordDeserializer.labels()));
    }

    private static KafkaSource<InputRecord> kafkaSource(
            FeatureJobConfig config,
            String topic,
            KafkaRecordDeserializationSchema<InputRecord> deserializer) {
        KafkaSourceBuilder<InputRecord> builder =
                KafkaSource.<InputRecord>builder()
                        .setProperties(config.kafkaProperties().properties())
                        .setBootstrapServers(config.bootstrapServers())
                        .setTopics(topic)
                        .setGroupId(config.groupId())
                        .setClientIdPrefix(config.groupId() + "-" + topic)
                        .setStartingOffsets(startingOffsets(config.startingOffsets()))
                        .setDeserializer(deserializer);
        if (config.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    private static OffsetsInitializer startingOffsets(FeatureJobConfig.StartingOffsets offsets) {
        return switch (offsets) {
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
        };
    }
}
