package io.vigil.cli;

import io.vigil.simulator.feed.FeedConfig;
import io.vigil.simulator.feed.LabelPolicy;
import io.vigil.simulator.feed.TimeMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How transactions and labels are played into Kafka; shared by simulate and replay. */
public final class FeedOptions {

    /** Label delay in wall-clock mode when none is given: a week is too long for a live demo. */
    static final Duration WALL_CLOCK_LABEL_DELAY = Duration.ofSeconds(30);

    @Option(
            names = "--rate",
            paramLabel = "TX_PER_S",
            defaultValue = "0",
            description = "Target transactions per second; 0 = as fast as possible (default).")
    double rate;

    @Option(
            names = "--time-mode",
            paramLabel = "MODE",
            defaultValue = "simulated",
            converter = Converters.TimeModeConverter.class,
            description =
                    "simulated: event times from the generator or file (default); wall-clock:"
                            + " event time = time sent, so the stream looks live.")
    TimeMode timeMode;

    @Option(
            names = "--label-delay",
            paramLabel = "DURATION",
            converter = Converters.DurationConverter.class,
            description =
                    "Label time = transaction time + this (default: P7D in simulated mode, PT30S in"
                            + " wall-clock mode).")
    Duration labelDelay;

    @Option(
            names = "--labels",
            paramLabel = "all|fraud-only|none",
            defaultValue = "all",
            converter = Converters.LabelPolicyConverter.class,
            description =
                    "Label every transaction (default: the bank learns every outcome), only"
                            + " frauds, or none.")
    LabelPolicy labelPolicy;

    @Option(
            names = "--max-tx",
            paramLabel = "N",
            description = "Stop after N transactions (their labels are still sent).")
    Long maxTransactions;

    @Option(
            names = "--producer-property",
            paramLabel = "KEY=VALUE",
            description = "Kafka producer setting overriding Vigil's defaults (repeatable).")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Mixin ProgressOptions progress;

    /** Validated feed settings; throws IllegalArgumentException naming the bad value. */
    public FeedConfig feedConfig() {
        Duration delay =
                labelDelay != null
                        ? labelDelay
                        : timeMode == TimeMode.WALL_CLOCK
                                ? WALL_CLOCK_LABEL_DELAY
                                : FeedConfig.HANDBOOK_LABEL_DELAY;
        return new FeedConfig(
                timeMode,
                rate,
                delay,
                labelPolicy,
                maxTransactions == null ? Long.MAX_VALUE : maxTransactions);
    }

    public Map<String, String> producerProperties() {
        return producerProperties;
    }

    public Progress.Mode progressMode() {
        return progress.mode();
    }
}
