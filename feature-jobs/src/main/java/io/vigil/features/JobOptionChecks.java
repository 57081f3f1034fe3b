package io.vigil.features;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.util.TimeUtils;

/**
 * The option checks every Vigil job's config record makes in its constructor, with messages that
 * name the option as the user typed it.
 */
public final class JobOptionChecks {

    private JobOptionChecks() {}

    public static void requireText(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + option + " must not be blank");
        }
    }

    public static void requirePositive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("--" + option + " must be >= 1, got " + value);
        }
    }

    /** A job's parallelism: 0 leaves it to the cluster's default. */
    public static void requireParallelism(int parallelism) {
        if (parallelism < 0) {
            throw new IllegalArgumentException(
                    "--parallelism must be >= 1 (or 0 for the cluster default), got "
                            + parallelism);
        }
    }

    /** A port to listen on: 0 takes any free one. */
    public static void requirePort(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "--" + option + " must be 0..65535 (0: any free port), got " + port);
        }
    }

    public static void requireAtLeast(String option, Duration value, Duration min) {
        Objects.requireNonNull(value, "--" + option);
        if (value.compareTo(min) < 0) {
            throw new IllegalArgumentException(
                    "--"
                            + option
                            + " must be at least "
                            + TimeUtils.formatWithHighestUnit(min)
                            + ", got "
                            + TimeUtils.formatWithHighestUnit(value));
        }
    }
}
