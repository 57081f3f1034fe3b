package io.vigil.scoring;

import io.vigil.features.records.RejectedRecord;
import io.vigil.features.serde.DeadLetterSerializer;
import io.vigil.scoring.records.KeyedRecord;
import io.vigil.scoring.serde.KeyedRecordSerializer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;

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
                KafkaSink.<KeyedRecord>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(new KeyedRecordSerializer(config.topics().decisions()))
                        .setDeliveryGuarantee(config.decisionDelivery())
                        .setTransactionalIdPrefix(config.transactionalIdPrefix())
                        // Send each decision at once; the latency budget has no room for batching.
                        .setProperty("linger.ms", "0")
                        .setProperty("transaction.timeout.ms", "900000")
                        .build();
        return new ScoringSinks(
                decisions,
                KafkaSink.<KeyedRecord>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(
                                new KeyedRecordSerializer(config.topics().modelEvents()))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build(),
                KafkaSink.<RejectedRecord>builder()
                        .setBootstrapServers(config.bootstrapServers())
                        .setRecordSerializer(
                                new DeadLetterSerializer(config.topics().deadLetter(), COMPONENT))
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .build());
    }
}
