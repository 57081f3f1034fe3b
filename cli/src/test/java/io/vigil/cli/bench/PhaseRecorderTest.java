package io.vigil.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.cli.TestDecisions;
import io.vigil.schemas.Decision;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelRole;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Deduplication, warm-up, missing answers and the decision breakdown of one rate. */
class PhaseRecorderTest {

    private static final long START = 1_000_000_000L;

    // 100 tx/s, 1 s warm-up (seq 0-99), 2 s measured (seq 100-299).
    private final RateSchedule schedule =
            RateSchedule.of(START, 100, Duration.ofSeconds(1), Duration.ofSeconds(2));
    private final PhaseRecorder recorder = new PhaseRecorder(schedule, 0L, Duration.ofSeconds(1));

    @Test
    void countsMeasuredAnswersOnceAndReportsTheMissingAndDuplicates() {
        for (long seq = 0; seq < 300; seq++) {
            if (seq == 150 || seq == 250) {
                continue; // never answered
            }
            long answeredAt = schedule.intendedNanos(seq) + 2_000_000;
            recorder.record(seq, answeredAt, null);
            if (seq % 50 == 0) {
                recorder.record(seq, answeredAt + 5_000_000, null); // at-least-once repeat
            }
        }
        recorder.record(300, START, null); // outside the schedule: ignored
        recorder.record(-1, START, null);

        PhaseResult r = recorder.result(sentAll());

        assertThat(recorder.answeredAll(300)).isFalse();
        assertThat(recorder.answeredAll(150)).isTrue();
        assertThat(r.sent()).isEqualTo(200);
        assertThat(r.responses()).isEqualTo(198);
        assertThat(r.missing()).isEqualTo(2);
        // Repeats of 100 and 200 (measured) count; those of 0 and 50 (warm-up) do not.
        assertThat(r.duplicates()).isEqualTo(2);
        assertThat(r.e2e().count()).isEqualTo(198);
        assertThat(r.e2e().p50Ms()).isCloseTo(2.0, within(0.01));
        assertThat(r.e2e().maxMs()).isCloseTo(2.0, within(0.01));
        assertThat(r.queue()).isEqualTo(Percentiles.NONE);
        assertThat(r.fallbackShare()).isZero();
    }

    @Test
    void decisionsAddTheirLatencyBreakdownRolesAndFallbackReasons() {
        for (long seq = 100; seq < 300; seq++) {
            boolean fallback = seq % 4 == 0;
            String reason = seq % 8 == 0 ? "redis_unavailable" : "lookup_timeout";
            recorder.record(
                    seq,
                    schedule.intendedNanos(seq) + 3_000_000,
                    decision(Long.toString(seq), fallback ? reason : null));
        }

        PhaseResult r = recorder.result(sentAll());

        assertThat(r.responses()).isEqualTo(200);
        assertThat(r.queue().p99Ms()).isCloseTo(0.4, within(0.001));
        assertThat(r.lookup().p99Ms()).isCloseTo(0.05, within(0.001));
        assertThat(r.inference().p99Ms()).isCloseTo(0.03, within(0.001));
        assertThat(r.jobTotal().p99Ms()).isCloseTo(2.5, within(0.01));
        assertThat(r.fallbacks()).isEqualTo(50);
        assertThat(r.fallbackShare()).isEqualTo(0.25);
        assertThat(r.fallbackReasons())
                .containsExactly(
                        Map.entry("lookup_timeout", 25L), Map.entry("redis_unavailable", 25L));
        assertThat(r.decidedBy())
                .containsExactly(Map.entry("CHAMPION", 150L), Map.entry("FALLBACK", 50L));
    }

    @Test
    void answerRateIsMeasuredAnswersOverTheMeasuredWindow() {
        for (long seq = 0; seq < 300; seq++) {
            recorder.record(seq, schedule.intendedNanos(seq) + 1_000_000, null);
        }

        PhaseResult r = recorder.result(sentAll());

        // 200 answers from the measurement's start until the last one, 1.99 s + 1 ms later.
        assertThat(r.responseRate()).isCloseTo(200 / 1.991, within(0.1));
        assertThat(recorder.answeredAll(300)).isTrue();
    }

    @Test
    void eachMeasuredSecondHasItsOwnFiguresDatedFromTheMeasurementStart() {
        PhaseRecorder dated =
                new PhaseRecorder(schedule, 1_700_000_000_000L, Duration.ofSeconds(1));
        for (long seq = 0; seq < 300; seq++) {
            // The second measured second (seq 200-299) is 50 ms slow, as after a model swap.
            long latency = seq >= 200 ? 50_000_000 : 2_000_000;
            dated.record(seq, schedule.intendedNanos(seq) + latency, null);
        }

        PhaseResult.Timeline timeline = dated.result(sentAll()).timeline();

        assertThat(timeline.startEpochMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(timeline.intervals()).hasSize(2);
        assertThat(timeline.intervals().get(0).count()).isEqualTo(100);
        assertThat(timeline.intervals().get(0).p99Ms()).isCloseTo(2.0, within(0.01));
        assertThat(timeline.intervals().get(1).count()).isEqualTo(100);
        assertThat(timeline.intervals().get(1).p50Ms()).isCloseTo(50.0, within(0.1));
    }

    @Test
    void aLongerIntervalGathersItsSecondsAndKeepsTheLastPartialOne() {
        // The 2 measured seconds in intervals of 1.5 s: [0, 1.5 s) and [1.5 s, 2 s).
        PhaseRecorder coarse =
                new PhaseRecorder(schedule, 1_700_000_000_000L, Duration.ofMillis(1_500));
        for (long seq = 0; seq < 300; seq++) {
            coarse.record(seq, schedule.intendedNanos(seq) + 3_000_000, null);
        }

        PhaseResult.Timeline timeline = coarse.result(sentAll()).timeline();

        assertThat(timeline.intervalMillis()).isEqualTo(1_500);
        assertThat(timeline.intervals()).hasSize(2);
        assertThat(timeline.intervals().get(0).count()).isEqualTo(150);
        assertThat(timeline.intervals().get(1).count()).isEqualTo(50);
        assertThat(timeline.intervals().get(1).p50Ms()).isCloseTo(3.0, within(0.01));
    }

    private PacedSender.SendStats sentAll() {
        return new PacedSender.SendStats(300, 200, schedule.intendedNanos(299), 0);
    }

    private static Decision decision(String id, String fallbackReason) {
        Decision.Builder d =
                TestDecisions.approvedByChampion(id)
                        .setLatency(new LatencyBreakdown(400L, 50L, 30L, 2_500L));
        if (fallbackReason != null) {
            d.setDecidedBy(ModelRole.FALLBACK).setChampion(null).setFallbackReason(fallbackReason);
        }
        return d.build();
    }
}
