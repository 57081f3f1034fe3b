package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import io.vigil.testkit.ThrottledSink;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feature job while its Kafka cluster of three brokers is restarted broker by broker, as an
 * upgrade does: each broker hands its partitions (and the transaction coordinators of the feature
 * log's writers) over, stops, starts again and catches up before the next one stops. The feature
 * log holds every transaction's vector exactly once and Redis every entity's final features. The
 * restart begins mid-run, and the online-store writers are throttled (~2,000 transactions a second
 * in all) until the last broker is back, so the job runs through all three restarts (~12 s each).
 */
class KafkaRollingRestartITCase {

    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.rollingRestartable();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    @Test
    void theFeatureLogAndRedisAreExactAfterARollingRestartOfEveryBrokerMidRun() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(100_000, FeatureJobFixture.Extras.FINAL_SWEEP);

        String throttle = "feature rolling restart";
        JobClient job =
                FeatureJobFixture.submitThrottled(
                        run.config(), new Configuration(), throttle, 1_000);

        run.awaitFirstRedisRows();
        for (int id : KAFKA.brokerIds().stream().sorted().toList()) {
            assertThat(job.getJobStatus().get().isTerminalState())
                    .as("the job was still running when broker %d stopped", id)
                    .isFalse();
            KAFKA.shutDownBroker(id);
            Thread.sleep(1_000);
            KAFKA.startBroker(id);
            KAFKA.awaitAllInSync();
        }
        ThrottledSink.release(throttle);
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);

        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches()).as("Redis vs batch computation").isEmpty();
    }
}
