package io.vigil.simulator.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.simulator.SimulatedTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransactionFeedTest {

    private static final Instant T0 = Instant.parse("2018-04-01T00:00:00Z");

    /** Transactions at T0 + the given minutes; every third one is fraud. */
    private static List<SimulatedTransaction> stream(int... minutes) {
        List<SimulatedTransaction> txs = new ArrayList<>();
        for (int i = 0; i < minutes.length; i++) {
            Transaction tx =
                    new Transaction(
                            Integer.toString(i),
                            T0.plusSeconds(60L * minutes[i]),
                            "c" + i,
                            "t" + i,
                            new Money(100L + i, "EUR"),
                            null,
                            null,
                            null);
            boolean fraud = i % 3 == 2;
            txs.add(new SimulatedTransaction(tx, fraud, fraud ? 2 : 0));
        }
        return txs;
    }

    private static FeedConfig config(
            TimeMode mode, double rate, Duration delay, LabelPolicy policy, long max) {
        return new FeedConfig(mode, rate, delay, policy, max);
    }

    @Test
    void simulatedModeInterleavesLabelsInEventTimeOrder() {
        RecordingSink sink = new RecordingSink();
        FeedConfig config =
                config(
                        TimeMode.SIMULATED,
                        0,
                        Duration.ofMinutes(10),
                        LabelPolicy.ALL,
                        Long.MAX_VALUE);

        TransactionFeed.Result result =
                new TransactionFeed(config).run(stream(0, 5, 10, 12, 30).iterator(), sink);

        // The label of tx 0 (due at 10) goes before tx 2 (at 10); those of 1–3 before tx 4 (at 30).
        assertThat(sink.events)
                .containsExactly(
                        "tx 0", "tx 1", "label 0", "tx 2", "tx 3", "label 1", "label 2", "label 3",
                        "tx 4", "label 4");
        assertThat(sink.labels.get(2))
                .isEqualTo(
                        new Label(
                                "2",
                                "c2",
                                "t2",
                                T0.plusSeconds(600),
                                T0.plusSeconds(1200),
                                true,
                                LabelSource.SIMULATOR));
        assertThat(result.transactions()).isEqualTo(5);
        assertThat(result.frauds()).isEqualTo(1);
        assertThat(result.labels()).isEqualTo(5);
        assertThat(result.labelsNotSent()).isZero();
        assertThat(sink.flushes).isEqualTo(1);
    }

    @Test
    void fraudOnlyPolicyLabelsOnlyFrauds() {
        RecordingSink sink = new RecordingSink();
        FeedConfig config =
                config(
                        TimeMode.SIMULATED,
                        0,
                        Duration.ofDays(7),
                        LabelPolicy.FRAUD_ONLY,
                        Long.MAX_VALUE);

        new TransactionFeed(config).run(stream(0, 1, 2, 3, 4, 5).iterator(), sink);

        assertThat(sink.labels).extracting(Label::getTransactionId).containsExactly("2", "5");
        assertThat(sink.labels).allMatch(Label::getIsFraud);
    }

    @Test
    void noneSendsTransactionsOnly() {
        RecordingSink sink = new RecordingSink();
        FeedConfig config =
                config(TimeMode.SIMULATED, 0, Duration.ofDays(7), LabelPolicy.NONE, Long.MAX_VALUE);

        TransactionFeed.Result result =
                new TransactionFeed(config).run(stream(0, 1, 2, 3).iterator(), sink);

        assertThat(sink.labels).isEmpty();
        assertThat(result.transactions()).isEqualTo(4);
        assertThat(result.frauds()).isEqualTo(1);
    }

    @Test
    void stopsAfterMaxTransactionsAndStillSendsTheirLabels() {
        RecordingSink sink = new RecordingSink();
        FeedConfig config = config(TimeMode.SIMULATED, 0, Duration.ofDays(7), LabelPolicy.ALL, 2);

        TransactionFeed.Result result =
                new TransactionFeed(config).run(stream(0, 1, 2, 3).iterator(), sink);

        assertThat(sink.events).containsExactly("tx 0", "tx 1", "label 0", "label 1");
        assertThat(result.transactions()).isEqualTo(2);
    }

    @Test
    void pacesToTheTargetRateByIntendedSendTimes() {
        ManualClock clock = new ManualClock();
        RecordingSink sink = new RecordingSink();
        sink.clock = clock;
        FeedConfig config =
                config(
                        TimeMode.SIMULATED,
                        100,
                        Duration.ofDays(7),
                        LabelPolicy.ALL,
                        Long.MAX_VALUE);

        TransactionFeed.Result result =
                new TransactionFeed(config, clock).run(stream(0, 1, 2, 3, 4).iterator(), sink);

        // Transaction i is due at i × 10 ms.
        assertThat(sink.sentAtNanos).containsExactly(0L, ms(10), ms(20), ms(30), ms(40));
        assertThat(result.elapsedNanos()).isEqualTo(ms(40));
    }

    @Test
    void aLateTransactionIsFollowedByACatchUpNotASlowerRate() {
        ManualClock clock = new ManualClock();
        RecordingSink sink = new RecordingSink();
        sink.clock = clock;
        sink.sendCostNanos = ms(25); // the first send is slow
        FeedConfig config =
                config(
                        TimeMode.SIMULATED,
                        100,
                        Duration.ofDays(7),
                        LabelPolicy.ALL,
                        Long.MAX_VALUE);

        new TransactionFeed(config, clock).run(stream(0, 1, 2, 3, 4).iterator(), sink);

        // Transactions 1 and 2 were due at 10 and 20 ms: both go at once, then the schedule holds.
        assertThat(sink.sentAtNanos).containsExactly(0L, ms(25), ms(25), ms(30), ms(40));
    }

    @Test
    void wallClockModeStampsSendTimeAndSendsLabelsWhenDueAlsoWhileWaiting() {
        ManualClock clock = new ManualClock();
        RecordingSink sink = new RecordingSink();
        sink.clock = clock;
        // 1 tx/s with a 1.5 s label delay: label i falls due between tx i+1 and tx i+2.
        FeedConfig config =
                config(
                        TimeMode.WALL_CLOCK,
                        1,
                        Duration.ofMillis(1500),
                        LabelPolicy.ALL,
                        Long.MAX_VALUE);

        TransactionFeed.Result result =
                new TransactionFeed(config, clock).run(stream(0, 0, 0).iterator(), sink);

        assertThat(sink.events)
                .containsExactly("tx 0", "tx 1", "label 0", "tx 2", "label 1", "label 2");
        long startMillis = ManualClock.WALL_START_MILLIS;
        assertThat(sink.transactions)
                .extracting(tx -> tx.getEventTime().toEpochMilli())
                .containsExactly(startMillis, startMillis + 1000, startMillis + 2000);
        assertThat(sink.labels)
                .extracting(label -> label.getLabelTime().toEpochMilli())
                .containsExactly(startMillis + 1500, startMillis + 2500, startMillis + 3500);
        assertThat(sink.labelSentAtMillis)
                .allSatisfy(
                        sentAt -> assertThat(sentAt).isBetween(startMillis, startMillis + 3550));
        for (int i = 0; i < 3; i++) {
            assertThat(sink.labelSentAtMillis.get(i))
                    .isBetween(
                            sink.labels.get(i).getLabelTime().toEpochMilli(),
                            sink.labels.get(i).getLabelTime().toEpochMilli() + 50);
        }
        assertThat(result.labels()).isEqualTo(3);
    }

    @Test
    void stopEndsTheRunAndReportsUnsentLabels() {
        RecordingSink sink = new RecordingSink();
        FeedConfig config =
                config(TimeMode.SIMULATED, 0, Duration.ofDays(7), LabelPolicy.ALL, Long.MAX_VALUE);
        TransactionFeed feed = new TransactionFeed(config);
        sink.afterTransaction =
                n -> {
                    if (n == 2) {
                        feed.stop();
                    }
                };

        TransactionFeed.Result result = feed.run(stream(0, 1, 2, 3, 4).iterator(), sink);

        assertThat(result.transactions()).isEqualTo(2);
        assertThat(result.labels()).isZero();
        assertThat(result.labelsNotSent()).isEqualTo(2);
    }

    @Test
    void rejectsNonsenseConfiguration() {
        assertThatThrownBy(() -> config(TimeMode.SIMULATED, -1, Duration.ZERO, LabelPolicy.ALL, 1))
                .hasMessageStartingWith("rate must be a number of transactions per second ≥ 0");
        assertThatThrownBy(
                        () ->
                                config(
                                        TimeMode.SIMULATED,
                                        0,
                                        Duration.ofSeconds(-1),
                                        LabelPolicy.ALL,
                                        1))
                .hasMessage("label delay must not be negative, got PT-1S");
        assertThatThrownBy(() -> config(TimeMode.SIMULATED, 0, Duration.ZERO, LabelPolicy.ALL, 0))
                .hasMessage("max transactions must be at least 1, got 0");
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Time moves only when the feed sleeps (or a send is made to cost time). */
    static final class ManualClock implements FeedClock {
        static final long WALL_START_MILLIS = 1_700_000_000_000L;
        long nanos;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public long currentTimeMillis() {
            return WALL_START_MILLIS + TimeUnit.NANOSECONDS.toMillis(nanos);
        }

        @Override
        public void sleepNanos(long sleep) {
            assertThat(sleep).isPositive();
            nanos += sleep;
        }
    }

    /** Records what the feed sent, in order, and when by the manual clock. */
    static final class RecordingSink implements FeedSink {
        final List<String> events = new ArrayList<>();
        final List<Transaction> transactions = new ArrayList<>();
        final List<Label> labels = new ArrayList<>();
        final List<Long> sentAtNanos = new ArrayList<>();
        final List<Long> labelSentAtMillis = new ArrayList<>();
        ManualClock clock;
        long sendCostNanos;
        java.util.function.IntConsumer afterTransaction = n -> {};
        int flushes;

        @Override
        public void sendTransaction(Transaction tx) {
            events.add("tx " + tx.getTransactionId());
            transactions.add(tx);
            if (clock != null) {
                sentAtNanos.add(clock.nanos);
                clock.nanos += sendCostNanos;
                sendCostNanos = 0;
            }
            afterTransaction.accept(transactions.size());
        }

        @Override
        public void sendLabel(Label label) {
            events.add("label " + label.getTransactionId());
            labels.add(label);
            if (clock != null) {
                labelSentAtMillis.add(clock.currentTimeMillis());
            }
        }

        @Override
        public void flush() {
            flushes++;
        }
    }
}
