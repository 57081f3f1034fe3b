package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis crashes while the job is writing and comes back empty a few seconds later: the job neither
 * fails nor loses a row (the sink blocks and retries), so once the stream's last rows are written
 * every entity holds its correct final features. The input ends with one more transaction per
 * customer and terminal, so every entity's final row is written after the outage.
 */
class RedisOutageITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void featuresAreCorrectAfterRedisComesBack() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(30_000, FeatureJobFixture.Extras.FINAL_SWEEP);

        FeatureJobConfig config = run.config();
        StreamExecutionEnvironment env =
                FeatureJobFixture.kafkaToRedis(config, new Configuration());
        JobClient job = env.executeAsync("redis outage itcase");

        run.awaitFirstRedisRows();
        REDIS.stop();
        Thread.sleep(3_000);
        assertThat(job.getJobStatus().get().isTerminalState())
                .as("the job waits for Redis instead of finishing or failing")
                .isFalse();
        REDIS.start();
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);

        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches()).as("Redis vs batch computation").isEmpty();
    }
}
