package io.vigil.scoring.serde;

import io.vigil.scoring.records.KeyedRecord;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes already-encoded records under their key. Decisions are keyed by transaction id, so readers
 * deduplicate the repeats an at-least-once restart can produce.
 */
public final class KeyedRecordSerializer implements KafkaRecordSerializationSchema<KeyedRecord> {

    private final String topic;

    public KeyedRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            KeyedRecord record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, record.key.getBytes(StandardCharsets.UTF_8), record.value);
    }
}
