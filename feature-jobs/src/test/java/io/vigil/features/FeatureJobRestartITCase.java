package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.FailOnceSink;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import io.vigil.testkit.ThrottledSink;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A task failure in the middle of the stream: the job restarts from its last checkpoint and the
 * feature log and Redis end up exactly as after an uninterrupted run (the batch computation), with
 * no transaction missing or repeated in the exactly-once feature log. With either state backend:
 * full heap checkpoints, or RocksDB's incremental ones.
 */
class FeatureJobRestartITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    @ParameterizedTest
    @EnumSource(FeatureJobConfig.StateBackend.class)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void restartingFromACheckpointGivesTheSameFeatures(FeatureJobConfig.StateBackend backend)
            throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(60_000, FeatureJobFixture.Extras.NONE);

        FeatureJobConfig config =
                run.config(
                        "--checkpoint-interval", "100ms", "--state-backend", backend.flinkName());
        String failure = "feature restart " + backend;
        Configuration restart = FlinkMiniCluster.fixedDelayRestarts(1);
        // The bounded input is read at once and backpressures the job: aligned barriers would
        // queue behind it and no checkpoint would complete before the end.
        restart.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        StreamExecutionEnvironment env = FeatureJobFixture.environment(config, restart);
        FeatureSinks real = FeatureSinks.kafkaAndRedis(config);
        FeatureSinks failingOnce =
                new FeatureSinks(
                        real.featureLog(),
                        // Earlier checkpoints (every 100 ms) have completed by the third, so the
                        // job restarts from one of them. The throttle (each writer ~30,000 rows)
                        // keeps the job running for 3 s at least, so however fast the machine,
                        // the third checkpoint comes before the bounded input ends.
                        ThrottledSink.atMost(
                                failure,
                                FailOnceSink.atCheckpoint(failure, real.onlineStore(), 3),
                                10_000),
                        real.deadLetter());
        FeaturePipeline.define(env, config, FeatureSources.kafka(config), failingOnce);
        env.execute("feature job restart itcase");

        assertThat(FailOnceSink.hasFailed(failure)).as("the injected failure happened").isTrue();
        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches()).as("Redis vs batch computation").isEmpty();
    }
}
