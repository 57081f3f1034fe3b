package io.vigil.drift.serde;

import io.vigil.drift.records.Alert;
import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes alerts as {@link DriftAlert}s keyed by model name (the topic's contract). The record time
 * is the wall clock, not the window end: alerts over replayed or backfilled decisions would
 * otherwise carry timestamps past the topic's time-based retention, and the broker would delete
 * them as soon as their segment rolls. The window's times are in the alert itself.
 */
public final class DriftAlertSerializer implements KafkaRecordSerializationSchema<Alert> {

    private final String topic;
    private transient AvroSerde<DriftAlert> serde;

    public DriftAlertSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serde = AvroSerde.of(DriftAlert.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Alert alert, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                null,
                alert.model.getBytes(StandardCharsets.UTF_8),
                serde.serialize(alert.toAvro()));
    }
}
