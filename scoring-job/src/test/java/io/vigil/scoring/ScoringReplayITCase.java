package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Decision;
import io.vigil.schemas.FeatureValue;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.scoring.features.ExactFeatureVector;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision log's vectors equal the feature log's, transaction by transaction.
 *
 * <p>The feature job first processes 40 days of simulated traffic (and the labels known by then)
 * into Redis. The scoring job then scores the next two days as they arrive, with the feature job
 * stopped: Redis is behind by up to two days, so every customer feature of those days comes from
 * the scoring job's own recent transactions on top of the Redis history, and every fraud label of
 * those days from the labels the scoring job received. Finally the feature job runs over everything
 * and writes the feature log; for every scored transaction, each count must be equal and each
 * average and ratio equal within 1e-9. On a single Redis and on a Redis Cluster.
 */
class ScoringReplayITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension static final RedisExtension CLUSTER = RedisExtension.cluster();

    private static final int HISTORY_DAYS = 40;

    @TempDir Path registryRoot;

    @Test
    void decisionVectorsEqualFeatureLogVectorsForEveryTransaction() throws Exception {
        assertDecisionVectorsEqualFeatureLogVectors(REDIS);
    }

    @Test
    void onARedisClusterDecisionVectorsEqualFeatureLogVectors() throws Exception {
        assertDecisionVectorsEqualFeatureLogVectors(CLUSTER);
    }

    private void assertDecisionVectorsEqualFeatureLogVectors(RedisExtension redis)
            throws Exception {
        ScoringFixture.Traffic traffic = ScoringFixture.simulate(400, 800, HISTORY_DAYS + 2, 7);
        Instant split =
                traffic.transactions().get(0).getEventTime().plus(Duration.ofDays(HISTORY_DAYS));
        List<Transaction> history = new ArrayList<>();
        List<Transaction> live = new ArrayList<>();
        traffic.transactions()
                .forEach(tx -> (tx.getEventTime().isAfter(split) ? live : history).add(tx));
        List<Label> knownLabels = new ArrayList<>();
        List<Label> laterLabels = new ArrayList<>();
        traffic.labels()
                .forEach(l -> (l.getLabelTime().isAfter(split) ? laterLabels : knownLabels).add(l));
        long laterFrauds = laterLabels.stream().filter(Label::getIsFraud).count();
        // The job reads labels from its --label-retention ago: the known ones too.
        long allFrauds = traffic.labels().stream().filter(Label::getIsFraud).count();
        assertThat(live).hasSizeGreaterThan(1_000);
        assertThat(laterFrauds).isGreaterThan(5);

        try (ScoringFixture fixture = new ScoringFixture(KAFKA, redis, registryRoot)) {
            fixture.produce(history, knownLabels);
            fixture.runFeatureJob();

            fixture.register("v1", weights(), -2f);
            fixture.registry.setChampion("fraud", "v1", ScoringFixture.BY);
            ScoringJobConfig config = fixture.scoringConfig("--recent-horizon", "3d");
            fixture.skipExistingTransactions(config);
            JobClient scoring = fixture.startScoring(config);
            ScoringMetrics metrics = ScoringFixture.metrics();
            try {
                ScoringFixture.awaitAtLeast(
                        "champion loaded on every subtask",
                        () -> metrics.modelSwaps.labelValues("champion", "loaded").get(),
                        FlinkMiniCluster.SLOTS,
                        Duration.ofSeconds(60));
                // Labels reach the job before the transactions they concern, as in real time.
                fixture.produce(List.of(), laterLabels);
                ScoringFixture.awaitAtLeast(
                        "every fraud label received by every subtask",
                        () -> metrics.fraudLabels.labelValues("kept").get(),
                        FlinkMiniCluster.SLOTS * allFrauds,
                        Duration.ofSeconds(60));
                fixture.produce(live, List.of());
                List<Decision> decisions = fixture.decisions(live.size(), Duration.ofSeconds(120));

                Map<String, Decision> byId = new HashMap<>();
                decisions.forEach(d -> byId.put(d.getTransactionId(), d));
                assertThat(byId).hasSize(live.size());
                assertThat(decisions).extracting(Decision::getFallbackReason).containsOnlyNulls();
                assertThat(decisions)
                        .extracting(Decision::getDecidedBy)
                        .containsOnly(ModelRole.CHAMPION);

                ScoringFixture.cancel(scoring);
                fixture.runFeatureJob();
                Map<String, FeatureVector> featureLog =
                        featureLog(fixture, history.size() + traffic.transactions().size());

                List<String> mismatches = new ArrayList<>();
                for (Transaction tx : live) {
                    Decision d = byId.get(tx.getTransactionId());
                    FeatureVector expected = featureLog.get(tx.getTransactionId());
                    assertThat(expected)
                            .as("feature log row of %s", tx.getTransactionId())
                            .isNotNull();
                    for (FeatureValue f : d.getFeatures()) {
                        double want = expected.getFeatures().get(f.getName());
                        if (Math.abs(f.getValue() - want) > 1e-9
                                || (f.getName().contains("nb_tx") && f.getValue() != want)) {
                            mismatches.add(
                                    tx.getTransactionId()
                                            + " "
                                            + f.getName()
                                            + ": decision "
                                            + f.getValue()
                                            + ", feature log "
                                            + want);
                        }
                    }
                    assertThat(d.getFeatures())
                            .extracting(FeatureValue::getName)
                            .containsExactlyElementsOf(ExactFeatureVector.NAMES);
                }
                assertThat(mismatches).isEmpty();
            } finally {
                ScoringMetrics.release(metrics);
                ScoringFixture.cancel(scoring);
            }
        }
    }

    /** A model that uses every feature a little, so scores vary. */
    private static float[] weights() {
        float[] w = new float[15];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.01f * (i + 1);
        }
        return w;
    }

    private static Map<String, FeatureVector> featureLog(ScoringFixture fixture, int expected)
            throws Exception {
        AvroSerde<FeatureVector> serde = AvroSerde.of(FeatureVector.class);
        Map<String, FeatureVector> rows = new HashMap<>();
        for (var r :
                KAFKA.readAll(fixture.topics.features().name(), expected, Duration.ofSeconds(60))) {
            FeatureVector v = serde.deserialize(r.topic(), r.partition(), r.offset(), r.value());
            rows.put(v.getTransactionId(), v);
        }
        return rows;
    }
}
