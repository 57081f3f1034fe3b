package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.DeadLetter;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole feature job on a MiniCluster between a real Kafka broker and a real redis-server: every
 * feature of 100,000 simulated transactions (labels 7 days later, a few duplicates and malformed
 * records mixed in) must equal the plain batch computation of {@link ReferenceFeatures}, in the
 * feature log and in Redis; each entity's history snapshot in Redis must hold exactly its recent
 * buckets and reproduce its Feast row; the malformed records must reach the dead-letter topic; the
 * metrics must count what happened, and all state must be gone once the input ended. And the same
 * job writing to a Redis Cluster ({@code --redis-cluster}).
 */
class FeaturePipelineITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension static final RedisExtension CLUSTER = RedisExtension.cluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(FlinkMiniCluster.SLOTS)
                            .setConfiguration(
                                    METRICS.addToConfiguration(FlinkMiniCluster.configuration()))
                            .build());

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void onARedisClusterEveryEntityHasItsExactRowAndSnapshot() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, CLUSTER);
        run.produce(20_000, FeatureJobFixture.Extras.NONE);

        FeatureJobConfig config = run.config();
        execute(config, "feature pipeline on a redis cluster itcase");

        assertThat(config.redis().topology().cluster()).isTrue();
        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches()).as("Redis vs batch computation").isEmpty();
        assertThat(run.historyMismatches(config.history()))
                .as("history snapshots vs batch computation")
                .isEmpty();
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void everyFeatureOfEveryTransactionEqualsTheBatchComputation() throws Exception {
        FeatureJobFixture run = new FeatureJobFixture(KAFKA, REDIS);
        run.produce(100_000, FeatureJobFixture.Extras.DUPLICATES_AND_MALFORMED);

        FeatureJobConfig config = run.config();
        JobID job = execute(config, "feature pipeline itcase");

        assertThat(run.featureLogMismatches()).as("feature log vs batch computation").isEmpty();
        assertThat(run.redisMismatches()).as("Redis vs batch computation").isEmpty();
        assertThat(run.historyMismatches(config.history()))
                .as("history snapshots vs batch computation")
                .isEmpty();
        List<DeadLetter> deadLetters = run.deadLetters(run.malformed().size());
        assertThat(deadLetters)
                .extracting(d -> d.getValue().array())
                .containsExactlyInAnyOrderElementsOf(run.malformed());
        assertThat(deadLetters)
                .allSatisfy(
                        d -> {
                            assertThat(d.getSourceTopic())
                                    .isIn(
                                            run.topics().transactions().name(),
                                            run.topics().labels().name());
                            assertThat(d.getReason()).isNotBlank();
                            assertThat(d.getComponent()).isEqualTo("feature-jobs");
                        });

        assertThat(sum(job, "malformedRecords")).isEqualTo(run.malformed().size());
        assertThat(sum(job, "duplicateTransactions")).isEqualTo(run.duplicateTransactions());
        assertThat(sum(job, "lateTransactions")).isZero();
        assertThat(sum(job, "nonFraudLabels")).isEqualTo(run.nonFraudLabels());
        assertThat(sum(job, "duplicateLabels")).isEqualTo(run.duplicateFraudLabels());
        assertThat(sum(job, "labelsJoined")).isEqualTo(run.fraudLabels());
        assertThat(sum(job, "labelsIgnored")).isZero();
        assertThat(sum(job, "lateLabels")).isZero();
        assertThat(sum(job, "featureFreshnessMillis")).isPositive();
        assertThat(sum(job, "historySnapshotsWritten")).isPositive();
        // The end of input fires every timer: histories expire and nothing stays buffered.
        for (String gauge :
                List.of("customers", "terminals", "bufferedTransactions", "bufferedLabels")) {
            assertThat(sum(job, gauge)).as(gauge).isZero();
        }
    }

    /** Over all subtasks: counts of counters and histograms, values of gauges. */
    private static long sum(JobID job, String name) {
        long total = 0;
        int found = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                METRICS.getMetricsByGroup().entrySet()) {
            Metric m = group.getValue().get(name);
            if (m == null
                    || !job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            found++;
            if (m instanceof Counter c) {
                total += c.getCount();
            } else if (m instanceof Histogram h) {
                total += h.getCount();
            } else if (m instanceof Gauge<?> g) {
                total += ((Number) g.getValue()).longValue();
            }
        }
        assertThat(found).as("subtasks reporting %s", name).isPositive();
        return total;
    }

    private static JobID execute(FeatureJobConfig config, String name) throws Exception {
        StreamExecutionEnvironment env =
                FeatureJobFixture.kafkaToRedis(config, new Configuration());
        return env.execute(name).getJobID();
    }
}
