package io.vigil.simulator.feed;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TransactionFeed} plays a stream out.
 *
 * <ul>
 *   <li>{@code timeMode}: {@link TimeMode#SIMULATED} or {@link TimeMode#WALL_CLOCK}.
 *   <li>{@code ratePerSecond}: target transactions per second; 0 = as fast as the sink takes them.
 *   <li>{@code labelDelay}: a label's time is its transaction's time plus this (the handbook
 *       assumes 7 days; a live wall-clock demo wants seconds).
 *   <li>{@code labelPolicy}: label every transaction or only frauds.
 *   <li>{@code maxTransactions}: stop after this many transactions ({@link Long#MAX_VALUE} = all).
 * </ul>
 */
public record FeedConfig(
        TimeMode timeMode,
        double ratePerSecond,
        Duration labelDelay,
        LabelPolicy labelPolicy,
        long maxTransactions) {

    public static final Duration HANDBOOK_LABEL_DELAY = Duration.ofDays(7);

    public FeedConfig {
        Objects.requireNonNull(timeMode, "timeMode");
        Objects.requireNonNull(labelDelay, "labelDelay");
        Objects.requireNonNull(labelPolicy, "labelPolicy");
        if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException(
                    "rate must be a number of transactions per second ≥ 0 (0 = as fast as possible), got "
                            + ratePerSecond);
        }
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "label delay must not be negative, got " + labelDelay);
        }
        if (maxTransactions < 1) {
            throw new IllegalArgumentException(
                    "max transactions must be at least 1, got " + maxTransactions);
        }
    }

    /** Simulated time, unpaced, 7-day delay, every transaction labelled, no limit. */
    public static FeedConfig simulatedDefaults() {
        return new FeedConfig(
                TimeMode.SIMULATED, 0, HANDBOOK_LABEL_DELAY, LabelPolicy.ALL, Long.MAX_VALUE);
    }
}
