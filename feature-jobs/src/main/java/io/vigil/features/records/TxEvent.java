package io.vigil.features.records;

import java.util.Comparator;

/**
 * A decoded transaction inside the job, with where it came from.
 *
 * <p>{@code partition}/{@code offset} are its arrival sequence: transactions with equal event times
 * are ordered by them (one customer's transactions share a partition, since the topic is keyed by
 * customer id, so this is the order they were produced in). {@code ingestTimeMillis} is the Kafka
 * record timestamp, the start of the freshness measurement. The {@code source*} fields keep the
 * original record for the dead-letter topic until de-duplication has decided the transaction is not
 * late; they are dropped afterwards so they do not travel further.
 *
 * <p>A Flink POJO: public fields, no-arg constructor, no Kryo.
 */
public class TxEvent {

    /** Event time first, then arrival order. */
    public static final Comparator<TxEvent> EVENT_ORDER =
            Comparator.<TxEvent>comparingLong(tx -> tx.eventTimeMillis)
                    .thenComparingInt(tx -> tx.partition)
                    .thenComparingLong(tx -> tx.offset);

    public String transactionId;
    public String customerId;
    public String terminalId;
    public long eventTimeMillis;
    public long amountMinorUnits;
    public int partition;
    public long offset;
    public long ingestTimeMillis;

    public String sourceTopic;
    public byte[] sourceKey;
    public byte[] sourceValue;

    public TxEvent() {}

    /** Amount in currency units (minor units / 100). */
    public double amount() {
        return amountMinorUnits / 100.0;
    }

    /** Forgets the original Kafka record once it can no longer be dead-lettered. */
    public TxEvent withoutSource() {
        sourceTopic = null;
        sourceKey = null;
        sourceValue = null;
        return this;
    }

    @Override
    public String toString() {
        return "TxEvent{"
                + transactionId
                + " customer="
                + customerId
                + " terminal="
                + terminalId
                + " t="
                + eventTimeMillis
                + " amount="
                + amountMinorUnits
                + " at "
                + partition
                + "/"
                + offset
                + '}';
    }
}
