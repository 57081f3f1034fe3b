package io.vigil.scoring.records;

import java.util.Arrays;

/**
 * The fraud labels of one terminal that the scoring job received recently, first label per
 * transaction only (as the feature job counts them). They cover labels the feature job has not yet
 * folded into the terminal's Redis history.
 *
 * <p>A Flink POJO with arrays, kept in broadcast state.
 */
public class TerminalFraudLabels {

    public String[] transactionIds = new String[0];
    public long[] txTimes = new long[0];
    public long[] labelTimes = new long[0];
    public long[] receivedAtMillis = new long[0];

    public TerminalFraudLabels() {}

    /** Adds a label unless its transaction already has one; returns whether it was added. */
    public boolean add(String transactionId, long txTime, long labelTime, long receivedAt) {
        for (String id : transactionIds) {
            if (id.equals(transactionId)) {
                return false;
            }
        }
        int n = transactionIds.length;
        transactionIds = Arrays.copyOf(transactionIds, n + 1);
        txTimes = Arrays.copyOf(txTimes, n + 1);
        labelTimes = Arrays.copyOf(labelTimes, n + 1);
        receivedAtMillis = Arrays.copyOf(receivedAtMillis, n + 1);
        transactionIds[n] = transactionId;
        txTimes[n] = txTime;
        labelTimes[n] = labelTime;
        receivedAtMillis[n] = receivedAt;
        return true;
    }

    /** Drops labels received at or before {@code cutoff}; returns how many remain. */
    public int retainReceivedAfter(long cutoff) {
        int kept = 0;
        for (int i = 0; i < transactionIds.length; i++) {
            if (receivedAtMillis[i] > cutoff) {
                transactionIds[kept] = transactionIds[i];
                txTimes[kept] = txTimes[i];
                labelTimes[kept] = labelTimes[i];
                receivedAtMillis[kept] = receivedAtMillis[i];
                kept++;
            }
        }
        transactionIds = Arrays.copyOf(transactionIds, kept);
        txTimes = Arrays.copyOf(txTimes, kept);
        labelTimes = Arrays.copyOf(labelTimes, kept);
        receivedAtMillis = Arrays.copyOf(receivedAtMillis, kept);
        return kept;
    }

    public int size() {
        return transactionIds.length;
    }
}
