package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task failure in the middle of the stream: the job restarts from its last checkpoint and the
 * feature log and Redis end up exactly as after an uninterrupted run (the batch computation), with
 * no transaction missing or repeated in the exactly-once feature log.
 */
class FeatureJobRestartITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    /** Survives the restart: the MiniCluster runs in this JVM. */
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void restartingFromACheckpointGivesTheSameFeatures() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(30_000, FeatureJobFixture.Extras.NONE);

        FeatureJobConfig config = run.config("--checkpoint-interval", "100ms");
        Configuration restart = new Configuration();
        // The bounded input is read at once and backpressures the job: aligned barriers would
        // queue behind it and no checkpoint would complete before the end.
        restart.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        restart.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = FeatureJobFixture.environment(config, restart);
        FeatureSinks real = FeatureSinks.kafkaAndRedis(config);
        FeatureSinks failingOnce =
                new FeatureSinks(
                        real.featureLog(),
                        new FailOnceSink<>(real.onlineStore()),
                        real.deadLetter());
        FeaturePipeline.define(env, config, FeatureSources.kafka(config), failingOnce);
        env.execute("feature job restart itcase");

        assertThat(FAILED).as("the injected failure happened").isTrue();
        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches()).as("Redis vs batch computation").isEmpty();
    }

    /**
     * Delegates to a sink and fails its task once, when the third checkpoint starts: earlier
     * checkpoints (every 100 ms) have completed by then, so the job restarts from one of them.
     */
    private static final class FailOnceSink<T> implements Sink<T> {
        private final Sink<T> delegate;

        FailOnceSink(Sink<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
            SinkWriter<T> writer = delegate.createWriter(context);
            return new SinkWriter<>() {
                private int checkpoints;

                @Override
                public void write(T element, Context ctx) throws IOException, InterruptedException {
                    writer.write(element, ctx);
                }

                @Override
                public void flush(boolean endOfInput) throws IOException, InterruptedException {
                    writer.flush(endOfInput);
                    if (!endOfInput && ++checkpoints == 3 && FAILED.compareAndSet(false, true)) {
                        throw new IOException("injected failure at a checkpoint");
                    }
                }

                @Override
                public void close() throws Exception {
                    writer.close();
                }
            };
        }
    }
}
