package io.vigil.simulator.feed;

import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import io.vigil.schemas.Transaction;
import io.vigil.simulator.SimulatedTransaction;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Plays a stream of simulated transactions into a {@link FeedSink}: paced to a target rate, with
 * each transaction's label sent {@code labelDelay} after it, interleaved in time order.
 *
 * <p>Pacing uses intended send times (transaction i is due at start + i / rate), so a late
 * transaction is followed by a burst that catches up instead of lowering the rate for good.
 *
 * <p>Labels wait in a FIFO queue: transactions arrive in time order and the delay is constant, so
 * labels fall due in the same order and a FIFO is the priority queue this needs; it holds at most
 * one label delay's worth of transactions. In {@link TimeMode#SIMULATED} a label is sent just
 * before the first transaction whose event time is at or after the label's time, and the rest at
 * the end; in {@link TimeMode#WALL_CLOCK} it is sent when the wall clock reaches its time, also
 * while the feed waits for its next transaction, and the feed waits at the end until all are sent.
 *
 * <p>{@link #transactionsSent()} may be read from another thread (progress display); {@link
 * #stop()} may be called from any thread (Ctrl-C) and ends the run after the transaction in flight,
 * leaving labels that are not yet due unsent.
 */
public final class TransactionFeed {

    // Upper bound of one sleep, so stop() and due labels are noticed promptly.
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final FeedConfig config;
    private final FeedClock clock;
    private final ArrayDeque<Label> pendingLabels = new ArrayDeque<>();

    private volatile boolean stopped;
    // Written by the feed's thread only; volatile so a progress display may read it.
    private volatile long transactionsSent;
    private long fraudsSent;
    private long labelsSent;

    public TransactionFeed(FeedConfig config) {
        this(config, FeedClock.SYSTEM);
    }

    public TransactionFeed(FeedConfig config, FeedClock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Summary of a finished run. */
    public record Result(
            long transactions, long frauds, long labels, long labelsNotSent, long elapsedNanos) {

        public double transactionsPerSecond() {
            return elapsedNanos == 0 ? 0 : transactions * 1e9 / elapsedNanos;
        }
    }

    /** Plays {@code source} into {@code sink} until it ends, the limit is reached or stop(). */
    public Result run(Iterator<SimulatedTransaction> source, FeedSink sink) {
        long start = clock.nanoTime();
        double nanosPerTransaction = config.ratePerSecond() == 0 ? 0 : 1e9 / config.ratePerSecond();
        long delayMillis = config.labelDelay().toMillis();
        while (!stopped && transactionsSent < config.maxTransactions() && source.hasNext()) {
            SimulatedTransaction next = source.next();
            if (nanosPerTransaction > 0) {
                waitUntil(start + (long) (transactionsSent * nanosPerTransaction), sink);
                if (stopped) {
                    break;
                }
            }
            Transaction tx = next.tx();
            if (config.timeMode() == TimeMode.WALL_CLOCK) {
                tx.setEventTime(Instant.ofEpochMilli(clock.currentTimeMillis()));
                sendDueLabels(sink, clock.currentTimeMillis());
            } else {
                sendDueLabels(sink, tx.getEventTime().toEpochMilli());
            }
            sink.sendTransaction(tx);
            transactionsSent++;
            if (next.fraud()) {
                fraudsSent++;
            }
            if (config.labelPolicy() == LabelPolicy.ALL
                    || (next.fraud() && config.labelPolicy() == LabelPolicy.FRAUD_ONLY)) {
                pendingLabels.addLast(labelOf(tx, next.fraud(), delayMillis));
            }
        }
        finishLabels(sink);
        sink.flush();
        return new Result(
                transactionsSent,
                fraudsSent,
                labelsSent,
                pendingLabels.size(),
                clock.nanoTime() - start);
    }

    /** Ends a running feed soon; safe from any thread. */
    public void stop() {
        stopped = true;
    }

    public long transactionsSent() {
        return transactionsSent;
    }

    private void finishLabels(FeedSink sink) {
        if (config.timeMode() == TimeMode.SIMULATED) {
            if (!stopped) {
                sendDueLabels(sink, Long.MAX_VALUE);
            }
            return;
        }
        while (!stopped && !pendingLabels.isEmpty()) {
            long waitMillis =
                    pendingLabels.peekFirst().getLabelTime().toEpochMilli()
                            - clock.currentTimeMillis();
            if (waitMillis > 0) {
                clock.sleepNanos(
                        Math.min(MAX_SLEEP_NANOS, TimeUnit.MILLISECONDS.toNanos(waitMillis)));
            }
            sendDueLabels(sink, clock.currentTimeMillis());
        }
    }

    // Sleeps until the intended send time; in wall-clock mode sends labels falling due meanwhile.
    private void waitUntil(long intendedNanos, FeedSink sink) {
        for (long wait = intendedNanos - clock.nanoTime();
                wait > 0 && !stopped;
                wait = intendedNanos - clock.nanoTime()) {
            clock.sleepNanos(Math.min(wait, MAX_SLEEP_NANOS));
            if (config.timeMode() == TimeMode.WALL_CLOCK) {
                sendDueLabels(sink, clock.currentTimeMillis());
            }
        }
    }

    private void sendDueLabels(FeedSink sink, long nowMillis) {
        while (!pendingLabels.isEmpty()
                && pendingLabels.peekFirst().getLabelTime().toEpochMilli() <= nowMillis) {
            sink.sendLabel(pendingLabels.pollFirst());
            labelsSent++;
        }
    }

    private static Label labelOf(Transaction tx, boolean fraud, long delayMillis) {
        return new Label(
                tx.getTransactionId(),
                tx.getCustomerId(),
                tx.getTerminalId(),
                tx.getEventTime(),
                tx.getEventTime().plusMillis(delayMillis),
                fraud,
                LabelSource.SIMULATOR);
    }
}
