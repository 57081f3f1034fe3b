package io.vigil.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How often a watch prints and for how long: shared by {@code vigil watch} and its subcommands. */
public final class WatchOptions {

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "PT1S",
            converter = Converters.DurationConverter.class,
            description = "Sampling interval (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "0",
            description = "Stop after N samples; 0 = until Ctrl-C (default).")
    long samples;

    public Duration interval() {
        return interval;
    }

    /** Whether sample {@code n} (1-based) is still to be taken. */
    public boolean wants(long n) {
        return samples == 0 || n <= samples;
    }

    /** Throws IllegalArgumentException for a non-positive interval or a negative sample count. */
    public void validate() {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("--interval must be positive, got " + interval);
        }
        if (samples < 0) {
            throw new IllegalArgumentException("--samples must be ≥ 0, got " + samples);
        }
    }
}
