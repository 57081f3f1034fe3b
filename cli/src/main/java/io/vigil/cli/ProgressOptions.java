package io.vigil.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a long run reports progress on stderr: a bar on a terminal, otherwise a log line. */
public final class ProgressOptions {

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
