package io.vigil.features.records;

import io.vigil.schemas.serde.MalformedRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A Kafka record the job could not use (malformed, or late), with its original bytes; becomes a
 * {@code DeadLetter} on the dead-letter topic.
 *
 * <p>A Flink POJO (the Avro {@code DeadLetter} has {@code ByteBuffer} fields, which Flink could
 * only serialize with Kryo).
 */
public class RejectedRecord {

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public byte[] key;
    public byte[] value;
    public String reason;
    public String errorClass;
    public long failedAtMillis;

    public RejectedRecord() {}

    public RejectedRecord(
            String sourceTopic,
            int sourcePartition,
            long sourceOffset,
            byte[] key,
            byte[] value,
            String reason,
            String errorClass,
            long failedAtMillis) {
        this.sourceTopic = sourceTopic;
        this.sourcePartition = sourcePartition;
        this.sourceOffset = sourceOffset;
        this.key = key;
        this.value = value;
        this.reason = reason;
        this.errorClass = errorClass;
        this.failedAtMillis = failedAtMillis;
    }

    /** The record {@code e} found malformed, rejected now. */
    public static RejectedRecord malformed(
            ConsumerRecord<byte[], byte[]> record, MalformedRecordException e) {
        return new RejectedRecord(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                record.value(),
                e.reason(),
                e.getCause() == null ? null : e.getCause().getClass().getName(),
                System.currentTimeMillis());
    }

    @Override
    public String toString() {
        return "RejectedRecord{"
                + sourceTopic
                + "/"
                + sourcePartition
                + "/"
                + sourceOffset
                + ": "
                + reason
                + '}';
    }
}
