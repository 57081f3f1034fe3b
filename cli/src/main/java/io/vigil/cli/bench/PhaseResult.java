package io.vigil.cli.bench;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The figures of one rate: counts cover the measured transactions only (warm-up excluded); {@code
 * e2e} is intended send time to response consumed; the breakdowns come from the responses
 * themselves ({@code Decision.latency}) and are {@link Percentiles#NONE} for plain Kafka records.
 *
 * @param sent measured transactions sent
 * @param responses distinct measured transactions answered
 * @param missing measured transactions sent but not answered within the grace period
 * @param duplicates answers to a measured transaction beyond its first
 * @param fallbackReasons reason to count, most frequent first
 * @param decidedBy CHAMPION / CHALLENGER / FALLBACK to count
 * @param maxSendLagMs how far behind its schedule the sender fell at worst
 * @param timeline the e2e latency of each measured interval
 */
public record PhaseResult(
        double targetRate,
        long sent,
        double achievedRate,
        long responses,
        double responseRate,
        long missing,
        long duplicates,
        Percentiles e2e,
        Percentiles queue,
        Percentiles lookup,
        Percentiles inference,
        Percentiles jobTotal,
        long fallbacks,
        Map<String, Long> fallbackReasons,
        Map<String, Long> decidedBy,
        double maxSendLagMs,
        Timeline timeline) {

    /**
     * E2e latency per interval of intended send time: {@code intervals.get(i)} covers the
     * transactions due from {@code startEpochMillis + i * intervalMillis} for {@code
     * intervalMillis}.
     */
    public record Timeline(
            long startEpochMillis, long intervalMillis, List<Percentiles> intervals) {

        public Timeline {
            intervals = List.copyOf(intervals);
        }
    }

    public PhaseResult {
        fallbackReasons = Collections.unmodifiableMap(fallbackReasons);
        decidedBy = Collections.unmodifiableMap(decidedBy);
    }

    /** Fallback decisions among the measured responses; NaN without responses. */
    public double fallbackShare() {
        return responses == 0 ? Double.NaN : (double) fallbacks / responses;
    }
}
