package io.vigil.cli.bench;

import org.HdrHistogram.Histogram;

/** A latency distribution in milliseconds; NaN throughout when nothing was recorded. */
public record Percentiles(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs) {

    public static final Percentiles NONE =
            new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** From a histogram of microseconds. */
    public static Percentiles ofMicros(Histogram micros) {
        return of(micros, 1e3);
    }

    /** From a histogram of nanoseconds. */
    public static Percentiles ofNanos(Histogram nanos) {
        return of(nanos, 1e6);
    }

    private static Percentiles of(Histogram h, double unitsPerMilli) {
        if (h.getTotalCount() == 0) {
            return NONE;
        }
        return new Percentiles(
                h.getTotalCount(),
                h.getValueAtPercentile(50) / unitsPerMilli,
                h.getValueAtPercentile(99) / unitsPerMilli,
                h.getValueAtPercentile(99.9) / unitsPerMilli,
                h.getMaxValue() / unitsPerMilli);
    }
}
