package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import io.vigil.testkit.ThrottledSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the Redis password of a running feature job, as an operator with a secret mounted on
 * every TaskManager does it: the new password goes into the {@code --redis-password-file}, then
 * Redis's ACL user takes only the new one and the job's connections are cut. The job logs in again
 * with the file's new content and ends with every feature right, without a restart (none is
 * allowed: the old password would fail it).
 */
class RedisPasswordRotationITCase {

    private static final String USER = "feature-job";
    private static final String OLD_PASSWORD = "the-password-before-rotation";
    private static final String NEW_PASSWORD = "the-password-after-rotation";

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.withUser(USER, OLD_PASSWORD);

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    @TempDir Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aPasswordRotatedInItsFileReachesTheRunningJobWithoutARestart() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(20_000, FeatureJobFixture.Extras.NONE);
        Path passwordFile = Files.writeString(dir.resolve("redis-password"), OLD_PASSWORD + "\n");
        FeatureJobConfig config =
                run.config("--redis-user", USER, "--redis-password-file", passwordFile.toString());
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        String throttle = "redis password rotation";
        JobClient job = FeatureJobFixture.submitThrottled(config, noRestarts, throttle, 500);

        await("rows reach Redis").atMost(Duration.ofSeconds(60)).until(() -> dbSize() > 100);
        Files.writeString(passwordFile, NEW_PASSWORD + "\n");
        REDIS.rotatePassword(NEW_PASSWORD); // the job's connections are closed

        assertThat(job.getJobStatus().get().isTerminalState())
                .as("the job was still writing when the password changed")
                .isFalse();
        ThrottledSink.release(throttle);
        job.getJobExecutionResult().get(90, TimeUnit.SECONDS);

        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches(config.redis())).as("Redis vs batch computation").isEmpty();
    }

    private static long dbSize() throws Exception {
        String reply = REDIS.sendToEveryNode("DBSIZE").get(0);
        return Long.parseLong(reply.substring(1).strip());
    }
}
