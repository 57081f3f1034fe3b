package io.vigil.cli.bench;

import java.time.Duration;

/**
 * When each transaction of a fixed-rate run is due: transaction {@code seq} at {@code startNanos +
 * seq / rate}. The first {@code warmupCount} are warm-up, the next {@code measuredCount} are
 * measured.
 *
 * <p>Latency is taken from these intended times, not from when a send actually happened: a producer
 * that stalls sends late, and the transactions it held back carry the stall in their latency
 * instead of hiding it (coordinated omission, as Gil Tene describes it for load generators).
 */
public record RateSchedule(
        long startNanos, double ratePerSecond, long warmupCount, long measuredCount) {

    public RateSchedule {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException(
                    "a schedule needs a positive rate, got " + ratePerSecond);
        }
        if (warmupCount < 0 || measuredCount < 1) {
            throw new IllegalArgumentException(
                    "a schedule needs at least one measured transaction and no negative warm-up,"
                            + " got warm-up "
                            + warmupCount
                            + " and measured "
                            + measuredCount);
        }
    }

    /** {@code rate × warmup} warm-up transactions then {@code rate × duration} measured ones. */
    public static RateSchedule of(
            long startNanos, double ratePerSecond, Duration warmup, Duration duration) {
        return new RateSchedule(
                startNanos,
                ratePerSecond,
                Math.round(ratePerSecond * seconds(warmup)),
                Math.round(ratePerSecond * seconds(duration)));
    }

    public long totalCount() {
        return warmupCount + measuredCount;
    }

    /** The intended send time of transaction {@code seq}. */
    public long intendedNanos(long seq) {
        return startNanos + Math.round(seq * 1e9 / ratePerSecond);
    }

    public boolean isMeasured(long seq) {
        return seq >= warmupCount && seq < totalCount();
    }

    /** When the first measured transaction is due. */
    public long measurementStartNanos() {
        return intendedNanos(warmupCount);
    }

    public long periodNanos() {
        return Math.round(1e9 / ratePerSecond);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
