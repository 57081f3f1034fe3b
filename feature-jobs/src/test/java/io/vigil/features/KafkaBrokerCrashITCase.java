package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Kafka broker of three (three replicas, two in sync) crashes while the job reads and writes its
 * exactly-once feature log: the broker coordinated the Kafka transactions of a feature log writer,
 * and the partitions it led stall until the controller elects a replica. The job carries on; the
 * feature log holds every transaction's vector exactly once and Redis every entity's final
 * features.
 */
class KafkaBrokerCrashITCase {

    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.replicated();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();

    @Test
    void theFeatureLogAndRedisAreExactAfterABrokerCrashedMidRun() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(30_000, FeatureJobFixture.Extras.FINAL_SWEEP);

        FeatureJobConfig config = run.config();
        JobClient job =
                FeatureJobFixture.kafkaToRedis(config, new Configuration())
                        .executeAsync("kafka broker crash itcase");

        run.awaitFirstRedisRows();
        int broker = KAFKA.transactionCoordinatorOf(config.transactionalIdPrefix());
        KAFKA.crashBroker(broker);
        try {
            Thread.sleep(3_000);
            assertThat(job.getJobStatus().get().isTerminalState())
                    .as("the job was still running when the broker crashed")
                    .isFalse();
            Thread.sleep(9_000);
        } finally {
            KAFKA.startBroker(broker);
        }
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);

        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches()).as("Redis vs batch computation").isEmpty();
    }
}
