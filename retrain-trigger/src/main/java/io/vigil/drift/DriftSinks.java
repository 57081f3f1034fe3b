package io.vigil.drift;

import io.vigil.drift.records.Alert;
import io.vigil.drift.serde.DriftAlertSerializer;
import io.vigil.features.records.RejectedRecord;
import io.vigil.features.serde.DeadLetterSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The job's outputs: drift alerts exactly-once (in Kafka transactions committed at each checkpoint;
 * readers use {@code read_committed}) and dead letters at-least-once.
 */
public record DriftSinks(Sink<Alert> alerts, Sink<RejectedRecord> deadLetters) {

    /** The {@code component} of the drift job's dead letters. */
    public static final String DEAD_LETTER_COMPONENT = "drift-job";

    public static DriftSinks kafka(DriftJobConfig config) {
        return new DriftSinks(
                KafkaSink.<Alert>builder()
                        .setKafkaProducerConfig(config.kafkaProperties().properties())
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(
                                new DriftAlertSerializer(config.topics().driftAlerts()))
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(config.transactionalIdPrefix())
                        // The broker's default cap (transaction.max.timeout.ms) is 15 minutes.
                        .setProperty("transaction.timeout.ms", "900000")
                        .build(),
                KafkaSink.<RejectedRecord>builder()
                        .setKafkaProducerConfig(config.kafkaProperties().properties())
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(
                                new DeadLetterSerializer(
                                        config.topics().deadLetter(), DEAD_LETTER_COMPONENT))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build());
    }
}
