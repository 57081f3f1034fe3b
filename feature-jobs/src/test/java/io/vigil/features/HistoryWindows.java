package io.vigil.features;

import io.vigil.schemas.history.WindowHistorySnapshot;
import java.util.List;
import java.util.TreeMap;

/**
 * What a reader of the Redis history snapshots does, written independently of the job for the
 * ITCases: the v1 windows of an entity at a time from its snapshot, and the snapshot the job must
 * have written, from the reference's transactions.
 */
final class HistoryWindows {

    static final long DAY = 86_400_000L;
    static final long TERMINAL_DELAY = 7 * DAY;
    static final long[] WIDTHS = {DAY, 7 * DAY, 30 * DAY};
    static final long WIDEST = 30 * DAY;

    private HistoryWindows() {}

    /**
     * The view's feature values at {@code t} (windows {@code (t − lag − w, t − lag]}): counts and
     * mean amounts for customers, counts and fraud shares for terminals.
     */
    static double[] at(WindowHistorySnapshot s, long t, long lag, boolean customer) {
        double[] values = new double[2 * WIDTHS.length];
        long end = t - lag;
        for (int k = 0; k < WIDTHS.length; k++) {
            long count = 0;
            long sum = 0;
            for (int i = 0; i < s.size(); i++) {
                if (s.times()[i] > end - WIDTHS[k] && s.times()[i] <= end) {
                    count += s.counts()[i];
                    sum += s.values()[i];
                }
            }
            values[2 * k] = count;
            if (count > 0) {
                values[2 * k + 1] = customer ? sum / 100.0 / count : (double) sum / count;
            }
        }
        return values;
    }

    /**
     * The buckets of {@code txs} in {@code (completeAfter, asOf]}: count, and amount sum for a
     * customer or frauds labelled by {@code asOf} for a terminal.
     */
    static WindowHistorySnapshot expected(
            List<ReferenceFeatures.Tx> txs, long asOf, long completeAfter, boolean customer) {
        TreeMap<Long, long[]> buckets = new TreeMap<>();
        for (ReferenceFeatures.Tx t : txs) {
            if (t.time() > completeAfter && t.time() <= asOf) {
                long[] b = buckets.computeIfAbsent(t.time(), time -> new long[2]);
                b[0]++;
                if (customer) {
                    b[1] += t.tx().getAmount().getMinorUnits();
                } else if (t.fraud() && t.labelTime() <= asOf) {
                    b[1]++;
                }
            }
        }
        return new WindowHistorySnapshot(
                asOf,
                completeAfter,
                buckets.keySet().stream().mapToLong(Long::longValue).toArray(),
                buckets.values().stream().mapToLong(b -> b[0]).toArray(),
                buckets.values().stream().mapToLong(b -> b[1]).toArray());
    }
}
