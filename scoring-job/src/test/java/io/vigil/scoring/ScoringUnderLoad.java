package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.schemas.Decision;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.Transaction;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.simulator.kafka.KafkaTransactionProducer;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running scoring job (champion v1, v2 registered) under a steady load, on the online store of
 * a subclass: every transaction gets exactly one decision whatever happens meanwhile.
 */
abstract class ScoringUnderLoad {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final int RATE = 400;

    @TempDir Path registryRoot;

    ScoringFixture fixture;
    private JobClient job;
    ScoringMetrics metrics;
    private List<Transaction> traffic;

    private final KafkaExtension kafka;
    private final RedisExtension redis;

    /** On the JVM's one Kafka broker and the subclass's online store. */
    ScoringUnderLoad(RedisExtension redis) {
        this(KAFKA, redis);
    }

    /** On the subclass's Kafka cluster and online store. */
    ScoringUnderLoad(KafkaExtension kafka, RedisExtension redis) {
        this.kafka = kafka;
        this.redis = redis;
    }

    @BeforeEach
    void startJob() throws Exception {
        traffic = ScoringFixture.simulate(300, 600, 20, 3).transactions();
        fixture = new ScoringFixture(kafka, redis, registryRoot);
        fixture.register("v1", new float[15], -3f);
        fixture.register("v2", new float[15], 3f);
        fixture.registry.setChampion("fraud", "v1", ScoringFixture.BY);
        // No feature job runs here: the job's own buffer (a horizon longer than the simulated
        // 20 days) holds every customer's history, so vectors stay exact without Redis rows, in a
        // store marked as a feature job started without state marks it.
        fixture.markStoreBuiltFromTheStart();
        job = start(fixture.scoringConfig("--recent-horizon", "30d"));
        metrics = ScoringFixture.metrics();
        awaitLoaded("champion", 1);
    }

    /** Starts the scoring job of every test; a subclass may start it otherwise. */
    JobClient start(ScoringJobConfig config) throws Exception {
        return fixture.startScoring(config);
    }

    @AfterEach
    void stopJob() throws Exception {
        try {
            ScoringFixture.cancel(job);
        } finally {
            ScoringMetrics.release(metrics);
            fixture.close();
            if (!redis.isRunning()) {
                redis.start();
            }
        }
    }

    /** Produces transactions at {@link #RATE} per second while {@code during} runs. */
    int underLoad(int count, Action during) throws Exception {
        AtomicBoolean failed = new AtomicBoolean();
        Thread producer =
                new Thread(
                        () -> {
                            try (KafkaTransactionProducer p =
                                    new KafkaTransactionProducer(
                                            KafkaTransactionProducer.defaultProperties(
                                                    kafka.bootstrapServers()),
                                            fixture.topics.transactions().name(),
                                            fixture.topics.labels().name())) {
                                long start = System.nanoTime();
                                for (int i = 0; i < count; i++) {
                                    long due = start + i * 1_000_000_000L / RATE;
                                    while (System.nanoTime() < due) {
                                        Thread.onSpinWait();
                                    }
                                    p.sendTransaction(traffic.get(i));
                                }
                                p.flush();
                            } catch (RuntimeException e) {
                                failed.set(true);
                                throw e;
                            }
                        });
        producer.start();
        during.run();
        producer.join();
        assertThat(failed).isFalse();
        return count;
    }

    /**
     * Some decisions fell back for {@code reason} (or a lookup timeout, on a busy machine), the
     * last one is the champion's again, and the metric counted them.
     */
    void assertFellBackOnlyForThenScoredAgain(String reason, List<Decision> decisions) {
        Map<String, Long> reasons =
                decisions.stream()
                        .filter(d -> d.getFallbackReason() != null)
                        .collect(
                                Collectors.groupingBy(
                                        Decision::getFallbackReason, Collectors.counting()));
        assertThat(reasons).containsKey(reason);
        assertThat(reasons.keySet()).isSubsetOf(Set.of(reason, "lookup_timeout"));
        assertThat(decisions.get(decisions.size() - 1).getDecidedBy())
                .isEqualTo(ModelRole.CHAMPION);
        assertThat(metrics.fallbacks.labelValues(reason).get()).isPositive();
    }

    /** Every decision is the champion's or challenger's, none the fallback rule's. */
    static void assertNoneFellBack(List<Decision> decisions) {
        assertThat(decisions).allSatisfy(d -> assertThat(d.getFallbackReason()).isNull());
    }

    /** Every transaction has exactly one decision (no loss, no repeat without a restart). */
    List<Decision> allDecisions(int sent) throws Exception {
        Map<String, List<Decision>> byTransaction = decisionsByTransaction(sent);
        assertThat(byTransaction.values()).allSatisfy(d -> assertThat(d).hasSize(1));
        return byTransaction.values().stream().map(d -> d.get(0)).toList();
    }

    /**
     * The decisions of each of the first {@code sent} transactions, in topic order, once every one
     * has at least one; no decision of another transaction.
     */
    Map<String, List<Decision>> decisionsByTransaction(int sent) throws Exception {
        List<String> ids =
                traffic.subList(0, sent).stream().map(Transaction::getTransactionId).toList();
        Map<String, List<Decision>> byTransaction =
                await("a decision for every transaction")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(
                                () ->
                                        fixture
                                                .decisions(
                                                        fixture.decisionsWritten(),
                                                        Duration.ofSeconds(5))
                                                .stream()
                                                .collect(
                                                        Collectors.groupingBy(
                                                                Decision::getTransactionId,
                                                                LinkedHashMap::new,
                                                                Collectors.toList())),
                                decisions -> decisions.size() >= sent);
        assertThat(byTransaction.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        return byTransaction;
    }

    void awaitLoaded(String role, int atLeastPerSubtask) {
        ScoringFixture.awaitAtLeast(
                role + " loaded",
                () -> metrics.modelSwaps.labelValues(role, "loaded").get(),
                atLeastPerSubtask * FlinkMiniCluster.SLOTS,
                Duration.ofSeconds(60));
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }
}
