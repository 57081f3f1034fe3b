package io.vigil.scoring.features;

import java.util.Arrays;

/**
 * One customer's transactions of the last {@code horizon} of event time, as the scoring job saw
 * them arrive: the part of the customer's history the feature job may not have written to Redis
 * yet.
 *
 * <p>Times are kept in arrival order within equal times and sorted by time overall (an out-of-order
 * arrival is inserted at its place). {@code completeAfterMillis} is the newest time ever evicted:
 * every transaction of the customer after it that reached this job is held; {@link Long#MIN_VALUE}
 * when nothing was evicted.
 *
 * <p>A Flink POJO with primitive arrays, kept in keyed state.
 */
public class RecentTransactions {

    public long[] times = new long[0];
    public long[] amounts = new long[0];
    public long completeAfterMillis = Long.MIN_VALUE;

    /** Processing time of the last transaction added, for the idle cleanup. */
    public long lastSeenMillis;

    public RecentTransactions() {}

    /**
     * Adds a transaction, evicts those at or before {@code newest − horizon} and, beyond {@code
     * maxEntries}, the oldest ones.
     */
    public void add(long time, long amountMinorUnits, long horizonMillis, int maxEntries) {
        int at = times.length;
        while (at > 0 && times[at - 1] > time) {
            at--;
        }
        times = insert(times, at, time);
        amounts = insert(amounts, at, amountMinorUnits);
        long newest = times[times.length - 1];
        int evict = 0;
        while (evict < times.length
                && (times[evict] <= newest - horizonMillis || times.length - evict > maxEntries)) {
            completeAfterMillis = Math.max(completeAfterMillis, times[evict]);
            evict++;
        }
        if (evict > 0) {
            times = Arrays.copyOfRange(times, evict, times.length);
            amounts = Arrays.copyOfRange(amounts, evict, amounts.length);
        }
    }

    public int size() {
        return times.length;
    }

    private static long[] insert(long[] array, int at, long value) {
        long[] grown = new long[array.length + 1];
        System.arraycopy(array, 0, grown, 0, at);
        grown[at] = value;
        System.arraycopy(array, at, grown, at + 1, array.length - at);
        return grown;
    }
}
