package io.vigil.scoring;

import io.vigil.features.records.RejectedRecord;
import io.vigil.features.serde.DeadLetterSerializer;
import io.vigil.scoring.records.KeyedRecord;
import io.vigil.scoring.serde.KeyedRecordSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;

/**
 * The job's outputs: decisions (at-least-once by default, sent as soon as they are made; or
 * exactly-once, visible at each checkpoint), the job's model events and dead letters.
 */
public record ScoringSinks(
        Sink<KeyedRecord> decisions,
        Sink<KeyedRecord> modelEvents,
        Sink<RejectedRecord> deadLetters) {

    /** The {@code component} of the job's dead letters. */
    public static final String COMPONENT = "scoring-job";

    public static ScoringSinks kafka(ScoringJobConfig config) {
        KafkaSink<KeyedRecord> decisions =
                ScoringSinks.<KeyedRecord>builder(config)
                        .setRecordSerializer(new KeyedRecordSerializer(config.topics().decisions()))
                        .setDeliveryGuarantee(config.decisionDelivery())
                        .setTransactionalIdPrefix(config.transactionalIdPrefix())
                        // Send each decision at once; the latency budget has no room for batching.
                        .setProperty("linger.ms", "0")
                        .setProperty("transaction.timeout.ms", "900000")
                        .build();
        return new ScoringSinks(
                decisions,
                ScoringSinks.<KeyedRecord>builder(config)
                        .setRecordSerializer(
                                new KeyedRecordSerializer(config.topics().modelEvents()))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build(),
                ScoringSinks.<RejectedRecord>builder(config)
                        .setRecordSerializer(
                                new DeadLetterSerializer(config.topics().deadLetter(), COMPONENT))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build());
    }

    /**
     * A sink builder with the {@code --kafka-properties} settings, which later settings override.
     */
    private static <T> KafkaSinkBuilder<T> builder(ScoringJobConfig config) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(config.kafkaProperties().properties())
                .setBootstrapServers(config.bootstrapServers());
    }
}
