package io.vigil.cli.guard;

import java.util.Arrays;

/**
 * What one model version did in one role, in one-second buckets of emission time over a fixed
 * window: a ring indexed by the second, each bucket stamped with its second so a stale one is
 * recognised and reset. Memory is fixed by the window, whatever the rate.
 */
final class RollingCounts {

    /** Sums over a span of seconds. */
    record Totals(long scored, long errors, long decided, long declined) {

        double errorRate() {
            return scored == 0 ? 0 : (double) errors / scored;
        }

        double declineRate() {
            return decided == 0 ? 0 : (double) declined / decided;
        }
    }

    private final long[] seconds;
    private final long[] scored;
    private final long[] errors;
    private final long[] decided;
    private final long[] declined;

    RollingCounts(int windowSeconds) {
        seconds = new long[windowSeconds];
        Arrays.fill(seconds, Long.MIN_VALUE);
        scored = new long[windowSeconds];
        errors = new long[windowSeconds];
        decided = new long[windowSeconds];
        declined = new long[windowSeconds];
    }

    /**
     * Counts one inference of the version (failed or not) and, if it decided the transaction,
     * whether it declined. Seconds older than the newest the ring holds minus its length are
     * ignored: they fell out of every window already.
     */
    void add(long epochSecond, boolean failed, boolean decidedIt, boolean declinedIt) {
        int i = (int) Math.floorMod(epochSecond, (long) seconds.length);
        if (seconds[i] != epochSecond) {
            if (seconds[i] > epochSecond) {
                return;
            }
            seconds[i] = epochSecond;
            scored[i] = 0;
            errors[i] = 0;
            decided[i] = 0;
            declined[i] = 0;
        }
        scored[i]++;
        if (failed) {
            errors[i]++;
        }
        if (decidedIt) {
            decided[i]++;
            if (declinedIt) {
                declined[i]++;
            }
        }
    }

    /** Sums the buckets of seconds in [{@code fromSecond}, {@code toSecond}]. */
    Totals totals(long fromSecond, long toSecond) {
        long s = 0;
        long e = 0;
        long d = 0;
        long x = 0;
        for (int i = 0; i < seconds.length; i++) {
            if (seconds[i] >= fromSecond && seconds[i] <= toSecond) {
                s += scored[i];
                e += errors[i];
                d += decided[i];
                x += declined[i];
            }
        }
        return new Totals(s, e, d, x);
    }
}
