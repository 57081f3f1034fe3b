package io.vigil.cli.commands;

import io.vigil.cli.Converters;
import io.vigil.cli.Progress;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How reading a whole topic reports progress on stderr (features dump, model train and evaluate).
 */
public final class FeaturesProgressOptions {

    @Option(
            names = "--progress",
            description =
                    "Draw a progress bar on stderr even when it is not a terminal (default: only on"
                            + " a terminal; otherwise a log line every --log-interval).")
    boolean progress;

    @Option(
            names = "--log-interval",
            paramLabel = "DURATION",
            defaultValue = "PT10S",
            converter = Converters.DurationConverter.class,
            description =
                    "Progress log line interval when no bar is drawn (default: ${DEFAULT-VALUE}).")
    Duration logInterval;

    /** Throws IllegalArgumentException for a non-positive interval. */
    public Progress.Mode mode() {
        return Progress.Mode.choose(progress, logInterval);
    }
}
