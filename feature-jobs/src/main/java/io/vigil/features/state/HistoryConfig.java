package io.vigil.features.state;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.util.TimeUtils;

/**
 * How entity histories are kept for {@code WindowHistorySnapshot}s in Redis.
 *
 * <ul>
 *   <li>{@code margin}: buckets are kept (and snapshots cover) this long beyond what the windows
 *       need, so a reader scoring a time up to {@code margin} behind a snapshot's as-of time still
 *       finds every bucket its windows need. Also delays dropping an idle entity's history by as
 *       much. At most {@link #MAX_MARGIN}.
 *   <li>{@code maxBuckets}: the most buckets one snapshot holds (hot keys); a longer history is cut
 *       to its newest buckets and says so through {@code completeAfterMillis}.
 * </ul>
 *
 * All checks are in the constructor.
 */
public record HistoryConfig(Duration margin, int maxBuckets) implements Serializable {

    public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_BUCKETS = 4096;
    public static final Duration MAX_MARGIN = Duration.ofDays(1);
    public static final int MAX_MAX_BUCKETS = 100_000;

    public HistoryConfig {
        Objects.requireNonNull(margin, "margin");
        if (margin.isNegative() || margin.compareTo(MAX_MARGIN) > 0) {
            throw new IllegalArgumentException(
                    "--history-margin must be between 0 ms and 1 d, got "
                            + TimeUtils.formatWithHighestUnit(margin));
        }
        if (maxBuckets < 1 || maxBuckets > MAX_MAX_BUCKETS) {
            throw new IllegalArgumentException(
                    "--history-max-buckets must be in 1.."
                            + MAX_MAX_BUCKETS
                            + ", got "
                            + maxBuckets);
        }
    }

    public static HistoryConfig defaults() {
        return new HistoryConfig(DEFAULT_MARGIN, DEFAULT_MAX_BUCKETS);
    }

    public long marginMillis() {
        return margin.toMillis();
    }
}
