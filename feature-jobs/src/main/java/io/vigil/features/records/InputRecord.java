package io.vigil.features.records;

/**
 * What a source emits for one Kafka record: exactly one of a transaction, a label, or a record that
 * could not be decoded. Decoding happens in the source so that watermarks are generated per Kafka
 * partition from event times; the job splits the three kinds right after.
 */
public class InputRecord {

    public TxEvent transaction;
    public LabelEvent label;
    public RejectedRecord rejected;

    public InputRecord() {}

    public static InputRecord of(TxEvent transaction) {
        InputRecord r = new InputRecord();
        r.transaction = transaction;
        return r;
    }

    public static InputRecord of(LabelEvent label) {
        InputRecord r = new InputRecord();
        r.label = label;
        return r;
    }

    public static InputRecord of(RejectedRecord rejected) {
        InputRecord r = new InputRecord();
        r.rejected = rejected;
        return r;
    }

    /**
     * Event time for watermarking: the transaction's time, the label's known-from time, or {@link
     * Long#MIN_VALUE} for a rejected record so it never moves a watermark.
     */
    public long eventTimeMillis() {
        if (transaction != null) {
            return transaction.eventTimeMillis;
        }
        if (label != null) {
            return label.labelTimeMillis;
        }
        return Long.MIN_VALUE;
    }
}
