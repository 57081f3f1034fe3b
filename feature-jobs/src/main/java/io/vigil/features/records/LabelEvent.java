package io.vigil.features.records;

/**
 * A decoded label: whether transaction {@code transactionId} (at {@code txEventTimeMillis} on
 * {@code terminalId}) was fraud, known from {@code labelTimeMillis}, its event time in the job.
 *
 * <p>A Flink POJO: public fields, no-arg constructor, no Kryo.
 */
public class LabelEvent {

    public String transactionId;
    public String customerId;
    public String terminalId;
    public long txEventTimeMillis;
    public long labelTimeMillis;
    public boolean fraud;

    public LabelEvent() {}

    @Override
    public String toString() {
        return "LabelEvent{"
                + transactionId
                + " terminal="
                + terminalId
                + " tx="
                + txEventTimeMillis
                + " known="
                + labelTimeMillis
                + " fraud="
                + fraud
                + '}';
    }
}
