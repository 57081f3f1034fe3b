package io.vigil.drift.records;

/**
 * A decisions record the job could not decode, with its original bytes; becomes a {@code
 * DeadLetter}. A Flink POJO (the Avro {@code DeadLetter} has {@code ByteBuffer} fields, which Flink
 * could only serialize with Kryo).
 */
public class RejectedDecision {

    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    public byte[] key;
    public byte[] value;
    public String reason;
    public String errorClass;
    public long failedAtMillis;

    public RejectedDecision() {}

    public RejectedDecision(
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
}
