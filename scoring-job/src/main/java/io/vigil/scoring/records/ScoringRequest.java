package io.vigil.scoring.records;

import io.vigil.schemas.history.OnlineStoreReset;

/**
 * One transaction on its way through the scoring job: what the transaction says, the customer's
 * recent transactions the job holds (up to and including this one), then the Redis lookup's result.
 *
 * <p>A Flink POJO (public fields, no-arg constructor, primitive and byte arrays): no Kryo.
 */
public class ScoringRequest {

    public String transactionId;
    public String customerId;
    public String terminalId;
    public long eventTimeMillis;
    public long amountMinorUnits;

    /** Kafka record timestamp of the transaction: when it was produced. */
    public long producedAtMillis;

    /** Wall-clock time the job took the transaction from its input queue (after the shuffle). */
    public long receivedAtMillis;

    /** The customer's transactions held by the job with a time up to this one's, this one last. */
    public long[] recentTimes;

    public long[] recentAmounts;

    /** The held transactions are complete after this time ({@link Long#MIN_VALUE}: always). */
    public long recentCompleteAfterMillis;

    /** Encoded history snapshots from Redis; null when the entity has none. */
    public byte[] customerHistory;

    public byte[] terminalHistory;

    /** The online store's reset time ({@link OnlineStoreReset}), read with the snapshots. */
    public long storeResetAtMillis = OnlineStoreReset.UNKNOWN;

    /**
     * Why the lookup failed ({@code redis_unavailable}, {@code lookup_timeout}); null if it did
     * not.
     */
    public String lookupFailure;

    public long lookupMicros;

    public ScoringRequest() {}

    /** A shallow copy, so a late lookup callback cannot change a request already emitted. */
    public ScoringRequest copy() {
        ScoringRequest r = new ScoringRequest();
        r.transactionId = transactionId;
        r.customerId = customerId;
        r.terminalId = terminalId;
        r.eventTimeMillis = eventTimeMillis;
        r.amountMinorUnits = amountMinorUnits;
        r.producedAtMillis = producedAtMillis;
        r.receivedAtMillis = receivedAtMillis;
        r.recentTimes = recentTimes;
        r.recentAmounts = recentAmounts;
        r.recentCompleteAfterMillis = recentCompleteAfterMillis;
        r.customerHistory = customerHistory;
        r.terminalHistory = terminalHistory;
        r.storeResetAtMillis = storeResetAtMillis;
        r.lookupFailure = lookupFailure;
        r.lookupMicros = lookupMicros;
        return r;
    }

    @Override
    public String toString() {
        return "ScoringRequest{"
                + transactionId
                + " customer="
                + customerId
                + " terminal="
                + terminalId
                + " t="
                + eventTimeMillis
                + '}';
    }
}
