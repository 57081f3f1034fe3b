package io.vigil.cli.bench;

import io.vigil.schemas.Decision;
import io.vigil.schemas.LatencyBreakdown;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Collects the responses to one rate's transactions: deduplicates them by sequence number (delivery
 * is at-least-once), and for the measured ones records latency from the intended send time into an
 * HdrHistogram, plus the response's own latency breakdown and decision source when it is a {@code
 * Decision}. Thread-safe: a consumer thread records while the bench thread waits and reports.
 */
public final class PhaseRecorder {

    private final RateSchedule schedule;
    private final BitSet seen;
    private long measuredResponses;
    private long duplicates;
    private long lastMeasuredNanos;
    private long fallbacks;
    private final Histogram e2eMicros = new Histogram(3);
    private final Histogram queueMicros = new Histogram(3);
    private final Histogram lookupMicros = new Histogram(3);
    private final Histogram inferenceMicros = new Histogram(3);
    private final Histogram jobTotalMicros = new Histogram(3);
    private final Map<String, Long> fallbackReasons = new HashMap<>();
    private final Map<String, Long> decidedBy = new TreeMap<>();
    private final long measurementStartEpochMillis;
    // e2e latency by interval of the intended send time, from the measurement's start: shows when
    // in a run the tail grew (a model swap, a checkpoint, an hour of old-generation growth), which
    // one histogram for the run cannot.
    private final long intervalNanos;
    private final Histogram[] byInterval;

    /**
     * @param measurementStartEpochMillis the wall-clock time of the schedule's measurement start,
     *     to date the timeline
     * @param timelineInterval the span of each timeline entry
     */
    public PhaseRecorder(
            RateSchedule schedule, long measurementStartEpochMillis, Duration timelineInterval) {
        if (schedule.totalCount() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "a phase holds at most " + Integer.MAX_VALUE + " transactions");
        }
        this.schedule = schedule;
        this.seen = new BitSet((int) schedule.totalCount());
        this.measurementStartEpochMillis = measurementStartEpochMillis;
        this.intervalNanos = timelineInterval.toNanos();
        double measuredNanos = schedule.measuredCount() / schedule.ratePerSecond() * 1e9;
        this.byInterval = new Histogram[(int) Math.ceil(measuredNanos / intervalNanos)];
    }

    /**
     * One response to transaction {@code seq}, consumed at {@code consumedNanos}; {@code decision}
     * is null for a plain Kafka record. Sequence numbers outside the schedule are ignored.
     */
    public synchronized void record(long seq, long consumedNanos, Decision decision) {
        if (seq < 0 || seq >= schedule.totalCount()) {
            return;
        }
        boolean measured = schedule.isMeasured(seq);
        if (seen.get((int) seq)) {
            if (measured) {
                duplicates++;
            }
            return;
        }
        seen.set((int) seq);
        if (!measured) {
            return;
        }
        measuredResponses++;
        lastMeasuredNanos = Math.max(lastMeasuredNanos, consumedNanos);
        long intended = schedule.intendedNanos(seq);
        long e2e = micros(consumedNanos - intended);
        e2eMicros.recordValue(e2e);
        int interval =
                (int)
                        Math.min(
                                byInterval.length - 1,
                                (intended - schedule.measurementStartNanos()) / intervalNanos);
        if (byInterval[interval] == null) {
            byInterval[interval] = new Histogram(3);
        }
        byInterval[interval].recordValue(e2e);
        if (decision != null) {
            LatencyBreakdown latency = decision.getLatency();
            queueMicros.recordValue(Math.max(0, latency.getQueueMicros()));
            lookupMicros.recordValue(Math.max(0, latency.getLookupMicros()));
            inferenceMicros.recordValue(Math.max(0, latency.getInferenceMicros()));
            jobTotalMicros.recordValue(Math.max(0, latency.getTotalMicros()));
            decidedBy.merge(decision.getDecidedBy().name(), 1L, Long::sum);
            if (decision.getFallbackReason() != null) {
                fallbacks++;
                fallbackReasons.merge(decision.getFallbackReason(), 1L, Long::sum);
            }
        }
    }

    /** Whether every one of the first {@code sent} transactions has been answered. */
    public synchronized boolean answeredAll(long sent) {
        return seen.nextClearBit(0) >= sent;
    }

    /** The figures so far, given what the sender sent. */
    public synchronized PhaseResult result(PacedSender.SendStats sends) {
        long window = lastMeasuredNanos - schedule.measurementStartNanos();
        double responseRate =
                measuredResponses == 0 || window <= 0 ? 0 : measuredResponses * 1e9 / window;
        Map<String, Long> reasons = new LinkedHashMap<>();
        fallbackReasons.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                                .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> reasons.put(e.getKey(), e.getValue()));
        return new PhaseResult(
                schedule.ratePerSecond(),
                sends.measuredSent(),
                sends.achievedRate(schedule),
                measuredResponses,
                responseRate,
                Math.max(0, sends.measuredSent() - measuredResponses),
                duplicates,
                Percentiles.ofMicros(e2eMicros),
                Percentiles.ofMicros(queueMicros),
                Percentiles.ofMicros(lookupMicros),
                Percentiles.ofMicros(inferenceMicros),
                Percentiles.ofMicros(jobTotalMicros),
                fallbacks,
                reasons,
                new TreeMap<>(decidedBy),
                sends.maxLagNanos() / 1e6,
                new PhaseResult.Timeline(
                        measurementStartEpochMillis,
                        intervalNanos / 1_000_000,
                        Arrays.stream(byInterval)
                                .map(h -> h == null ? Percentiles.NONE : Percentiles.ofMicros(h))
                                .toList()));
    }

    private static long micros(long nanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos));
    }
}
