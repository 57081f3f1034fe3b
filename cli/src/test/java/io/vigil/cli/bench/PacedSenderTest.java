package io.vigil.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schedule, the sender that follows it and the recorder that measures from it, on a manual
 * clock: in particular that a stalled sender does not hide latency (coordinated omission).
 */
class PacedSenderTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void scheduleDueTimesAndMeasuredRange() {
        RateSchedule s =
                RateSchedule.of(1_000_000, 4_000, Duration.ofMillis(500), Duration.ofSeconds(2));

        assertThat(s.warmupCount()).isEqualTo(2_000);
        assertThat(s.measuredCount()).isEqualTo(8_000);
        assertThat(s.totalCount()).isEqualTo(10_000);
        assertThat(s.intendedNanos(0)).isEqualTo(1_000_000);
        assertThat(s.intendedNanos(4_000)).isEqualTo(1_000_000 + 1_000_000_000L);
        assertThat(s.measurementStartNanos()).isEqualTo(1_000_000 + 500_000_000L);
        assertThat(s.isMeasured(1_999)).isFalse();
        assertThat(s.isMeasured(2_000)).isTrue();
        assertThat(s.isMeasured(9_999)).isTrue();
        assertThat(s.isMeasured(10_000)).isFalse();
        assertThat(s.periodNanos()).isEqualTo(250_000);
    }

    @Test
    void sendsEachTransactionAtItsSlotWithTheIntendedTimeAsEventTime() {
        RateSchedule schedule =
                RateSchedule.of(clock.nanoTime(), 100, Duration.ZERO, Duration.ofSeconds(1));
        long startMillis = clock.currentTimeMillis();
        List<Long> sentAt = new ArrayList<>();
        List<Transaction> sent = new ArrayList<>();

        PacedSender.SendStats stats =
                new PacedSender(clock)
                        .run(
                                schedule,
                                (seq, eventTime) -> transaction("p-" + seq, eventTime),
                                tx -> {
                                    sentAt.add(clock.nanoTime());
                                    sent.add(tx);
                                });

        assertThat(stats.sent()).isEqualTo(100);
        assertThat(stats.measuredSent()).isEqualTo(100);
        assertThat(stats.maxLagNanos()).isZero();
        assertThat(stats.achievedRate(schedule)).isCloseTo(100, within(0.01));
        for (int i = 0; i < 100; i++) {
            assertThat(sentAt.get(i)).isEqualTo(schedule.intendedNanos(i));
            assertThat(sent.get(i).getTransactionId()).isEqualTo("p-" + i);
            assertThat(sent.get(i).getEventTime())
                    .isEqualTo(Instant.ofEpochMilli(startMillis + i * 10L));
        }
    }

    @Test
    void aStalledSenderCatchesUpWithoutSkippingAndItsStallShowsInTheLatency() {
        // 1,000 tx/s for 10 s; the send of transaction 5,000 blocks for one second, and every
        // answer comes 1 ms after its send.
        RateSchedule schedule =
                RateSchedule.of(
                        clock.nanoTime(), 1_000, Duration.ofSeconds(1), Duration.ofSeconds(10));
        PhaseRecorder recorder = new PhaseRecorder(schedule, 0L, Duration.ofSeconds(1));

        PacedSender.SendStats stats =
                new PacedSender(clock)
                        .run(
                                schedule,
                                (s, eventTime) -> transaction(Long.toString(s), eventTime),
                                tx -> {
                                    long s = Long.parseLong(tx.getTransactionId());
                                    if (s == 5_000) {
                                        clock.advanceMillis(1_000);
                                    }
                                    recorder.record(s, clock.nanoTime() + 1_000_000, null);
                                });
        PhaseResult result = recorder.result(stats);

        assertThat(stats.sent()).isEqualTo(11_000);
        // The stall is inside the send of 5,000; 5,001 goes out 999 ms after its slot.
        assertThat(stats.maxLagNanos()).isEqualTo(999_000_000L);
        // Measured from the actual send every answer took 1 ms; from the intended send time the
        // thousand transactions held back by the stall waited up to a second.
        assertThat(result.e2e().p50Ms()).isCloseTo(1.0, within(0.01));
        assertThat(result.e2e().maxMs()).isCloseTo(1_001.0, within(1.0));
        assertThat(result.e2e().p99Ms()).isGreaterThan(800);
        assertThat(result.e2e().p999Ms()).isGreaterThan(980);
        // The backlog went out at once, so the rate over the run is still about 1,000/s.
        assertThat(result.achievedRate()).isCloseTo(1_000, within(1.0));
        assertThat(result.missing()).isZero();
    }

    @Test
    void stopEndsTheRunBeforeTheNextSend() {
        RateSchedule schedule =
                RateSchedule.of(clock.nanoTime(), 1_000, Duration.ZERO, Duration.ofSeconds(10));
        PacedSender sender = new PacedSender(clock);
        List<Transaction> sent = new ArrayList<>();

        PacedSender.SendStats stats =
                sender.run(
                        schedule,
                        (seq, eventTime) -> transaction(Long.toString(seq), eventTime),
                        tx -> {
                            sent.add(tx);
                            if (sent.size() == 10) {
                                sender.stop();
                            }
                        });

        assertThat(stats.sent()).isEqualTo(10);
        assertThat(stats.measuredSent()).isEqualTo(10);
    }

    static Transaction transaction(String id, Instant eventTime) {
        return new Transaction(
                id, eventTime, "c1", "t1", new Money(1234L, "EUR"), null, null, null);
    }
}
