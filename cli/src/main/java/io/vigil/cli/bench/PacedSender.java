package io.vigil.cli.bench;

import io.vigil.schemas.Transaction;
import io.vigil.simulator.feed.FeedClock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends the transactions of a {@link RateSchedule}, each as soon as it is due. A late sender never
 * skips or re-times a transaction: it sends the backlog at once, and each transaction keeps the
 * intended time of its slot as its event time, which is what its latency is measured from.
 *
 * <p>{@link #stop()} may be called from any thread (Ctrl-C) and ends the run before the next send.
 */
public final class PacedSender {

    // Upper bound of one sleep, so stop() is noticed promptly.
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Makes transaction {@code seq} with the given event time. */
    @FunctionalInterface
    public interface TransactionSource {
        Transaction next(long seq, Instant eventTime);
    }

    /**
     * What a run sent: all transactions, the measured ones, when the last send returned, and how
     * far behind its schedule the sender fell at worst.
     */
    public record SendStats(long sent, long measuredSent, long lastSendNanos, long maxLagNanos) {

        /** Measured transactions per second from the measurement's intended start. */
        public double achievedRate(RateSchedule schedule) {
            long elapsed =
                    lastSendNanos - schedule.measurementStartNanos() + schedule.periodNanos();
            return measuredSent == 0 || elapsed <= 0 ? 0 : measuredSent * 1e9 / elapsed;
        }
    }

    private final FeedClock clock;
    private volatile boolean stopped;

    public PacedSender(FeedClock clock) {
        this.clock = clock;
    }

    /** Sends until the schedule is done or {@link #stop()}; returns what was sent. */
    public SendStats run(
            RateSchedule schedule, TransactionSource source, Consumer<Transaction> sink) {
        // One anchor maps the monotonic schedule onto wall-clock event times.
        long anchorNanos = clock.nanoTime();
        long anchorMillis = clock.currentTimeMillis();
        long sent = 0;
        long measured = 0;
        long lastSend = anchorNanos;
        long maxLag = 0;
        for (long seq = 0; seq < schedule.totalCount() && !stopped; seq++) {
            long intended = schedule.intendedNanos(seq);
            Instant eventTime =
                    Instant.ofEpochMilli(
                            anchorMillis + TimeUnit.NANOSECONDS.toMillis(intended - anchorNanos));
            Transaction tx = source.next(seq, eventTime);
            waitUntil(intended);
            if (stopped) {
                break;
            }
            maxLag = Math.max(maxLag, clock.nanoTime() - intended);
            sink.accept(tx);
            lastSend = clock.nanoTime();
            sent++;
            if (schedule.isMeasured(seq)) {
                measured++;
            }
        }
        return new SendStats(sent, measured, lastSend, maxLag);
    }

    public void stop() {
        stopped = true;
    }

    private void waitUntil(long intendedNanos) {
        for (long wait = intendedNanos - clock.nanoTime();
                wait > 0 && !stopped;
                wait = intendedNanos - clock.nanoTime()) {
            clock.sleepNanos(Math.min(wait, MAX_SLEEP_NANOS));
        }
    }
}
