package io.vigil.features.serde;

import io.vigil.features.records.RejectedRecord;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes rejected records to the dead-letter topic as {@link DeadLetter}s keyed by source topic.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<RejectedRecord> {

    /** The {@code component} of every dead letter the feature job writes. */
    public static final String COMPONENT = "feature-jobs";

    private final String topic;
    private final String component;
    private transient AvroSerde<DeadLetter> serde;

    public DeadLetterSerializer(String topic) {
        this(topic, COMPONENT);
    }

    /** For the job named {@code component} (the dead letter's {@code component} field). */
    public DeadLetterSerializer(String topic, String component) {
        this.topic = topic;
        this.component = component;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serde = AvroSerde.of(DeadLetter.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            RejectedRecord rejected, KafkaSinkContext context, Long timestamp) {
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
                        .setComponent(component)
                        .build();
        return new ProducerRecord<>(
                topic,
                null,
                rejected.failedAtMillis,
                rejected.sourceTopic.getBytes(StandardCharsets.UTF_8),
                serde.serialize(letter));
    }
}
