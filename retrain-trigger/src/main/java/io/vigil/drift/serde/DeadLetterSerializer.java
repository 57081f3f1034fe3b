package io.vigil.drift.serde;

import io.vigil.drift.records.RejectedDecision;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes rejected decisions to the dead-letter topic as {@link DeadLetter}s keyed by source topic.
 */
public final class DeadLetterSerializer
        implements KafkaRecordSerializationSchema<RejectedDecision> {

    /** The {@code component} of the drift job's dead letters. */
    public static final String COMPONENT = "drift-job";

    private final String topic;
    private transient AvroSerde<DeadLetter> serde;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serde = AvroSerde.of(DeadLetter.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            RejectedDecision rejected, KafkaSinkContext context, Long timestamp) {
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic(rejected.sourceTopic)
                        .setSourcePartition(rejected.sourcePartition)
                        .setSourceOffset(rejected.sourceOffset)
                        .setKey(rejected.key == null ? null : ByteBuffer.wrap(rejected.key))
                        .setValue(rejected.value == null ? null : ByteBuffer.wrap(rejected.value))
                        .setReason(rejected.reason)
                        .setErrorClass(rejected.errorClass)
                        .setFailedAt(Instant.ofEpochMilli(rejected.failedAtMillis))
                        .setComponent(COMPONENT)
                        .build();
        return new ProducerRecord<>(
                topic,
                null,
                rejected.failedAtMillis,
                rejected.sourceTopic.getBytes(StandardCharsets.UTF_8),
                serde.serialize(letter));
    }
}
