package io.vigil.testkit;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Flink MiniClusters sized for the 2-core test machine. */
public final class FlinkMiniCluster {

    public static final int SLOTS = 2;

    private FlinkMiniCluster() {}

    /**
     * One TaskManager with {@link #SLOTS} slots, shared by the tests of a class. Use as
     * {@code @RegisterExtension static final MiniClusterExtension FLINK =
     * FlinkMiniCluster.extension();}.
     */
    public static MiniClusterExtension extension() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(SLOTS)
                        .setConfiguration(configuration())
                        .build());
    }

    /** The MiniCluster configuration, also for tests that build their own cluster. */
    public static Configuration configuration() {
        Configuration config = new Configuration();
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(64));
        config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(64));
        return config;
    }

    /**
     * A job setting: after a failure, restart from the last checkpoint at most {@code attempts}
     * times, 100 ms apart, so that a test of a failure fails fast when recovery does not work.
     */
    public static Configuration fixedDelayRestarts(int attempts) {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, attempts);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return config;
    }
}
