package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.Decision;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.simulator.kafka.KafkaTransactionProducer;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running scoring job under a steady load: model changes and a Redis outage cost no transaction
 * its decision, and malformed input reaches the dead-letter topic.
 */
class ScoringJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    // Durable: the outage test restarts Redis, which must come back with its data, as a production
    // Redis with persistence does (one that comes back empty is a reset, not an outage).
    @RegisterExtension static final RedisExtension REDIS = RedisExtension.durable();

    private static final int RATE = 400;

    @TempDir Path registryRoot;

    private ScoringFixture fixture;
    private JobClient job;
    private ScoringMetrics metrics;
    private List<Transaction> traffic;

    @BeforeEach
    void startJob() throws Exception {
        traffic = ScoringFixture.simulate(300, 600, 10, 3).transactions();
        fixture = new ScoringFixture(KAFKA, REDIS, registryRoot);
        fixture.register("v1", new float[15], -3f);
        fixture.register("v2", new float[15], 3f);
        fixture.registry.setChampion("fraud", "v1", ScoringFixture.BY);
        // No feature job runs here: the job's own buffer (a horizon longer than the simulated
        // 10 days) holds every customer's history, so vectors stay exact without Redis rows, in a
        // store marked as a feature job started without state marks it.
        fixture.markStoreBuiltFromTheStart();
        job = fixture.startScoring(fixture.scoringConfig("--recent-horizon", "30d"));
        metrics = ScoringFixture.metrics();
        awaitLoaded("champion", 1);
    }

    @AfterEach
    void stopJob() throws Exception {
        try {
            ScoringFixture.cancel(job);
        } finally {
            ScoringMetrics.release(metrics);
            fixture.close();
            if (!REDIS.isRunning()) {
                REDIS.start();
            }
        }
    }

    @Test
    void promotionAndRollbackUnderLoadLeaveNoTransactionUnscored() throws Exception {
        int sent =
                underLoad(
                        4_000,
                        () -> {
                            fixture.registry.setChallenger(
                                    "fraud", "v2", ChallengerMode.SHADOW, 0, ScoringFixture.BY);
                            awaitLoaded("challenger", 1);
                            Thread.sleep(1_500);
                            fixture.registry.promote("fraud", ScoringFixture.BY);
                            Thread.sleep(1_500);
                            fixture.registry.rollback("fraud", ScoringFixture.BY);
                            Thread.sleep(1_500);
                        });

        List<Decision> decisions = allDecisions(sent);
        assertThat(decisions.stream().map(Decision::getFallbackReason).distinct().toList())
                .containsOnlyNulls();
        assertThat(decisions).extracting(Decision::getDecidedBy).containsOnly(ModelRole.CHAMPION);
        assertThat(decisions).allSatisfy(d -> assertThat(d.getChampion().getScore()).isNotNull());
        List<String> championVersions =
                decisions.stream().map(d -> d.getChampion().getVersion()).distinct().toList();
        // Per partition the order is v1, then v2 (promoted), then v1 again (rolled back).
        assertThat(championVersions).contains("v1", "v2");
        assertThat(decisions.get(decisions.size() - 1).getChampion().getVersion()).isEqualTo("v1");
        assertThat(decisions.stream().filter(d -> d.getChallenger() != null).count()).isPositive();
    }

    @Test
    void aRedisOutageUnderLoadFallsBackAndLosesNothing() throws Exception {
        int sent =
                underLoad(
                        3_000,
                        () -> {
                            Thread.sleep(1_500);
                            REDIS.stop();
                            Thread.sleep(2_000);
                            REDIS.start();
                            Thread.sleep(2_000);
                        });

        assertFellBackOnlyForThenScoredAgain("redis_unavailable", allDecisions(sent));
    }

    @Test
    void aRedisThatComesBackEmptyIsNotTrustedUntilTheStoreIsMarkedAgain() throws Exception {
        int sent =
                underLoad(
                        3_000,
                        () -> {
                            Thread.sleep(1_000);
                            REDIS.flushAll();
                            Thread.sleep(1_500);
                            fixture.markStoreBuiltFromTheStart();
                            Thread.sleep(1_000);
                        });

        // Without a mark no missing snapshot passes for a new customer; marked again, it does.
        assertFellBackOnlyForThenScoredAgain("online_store_reset", allDecisions(sent));
    }

    // Undecodable labels are the feature job's to dead-letter (ControlSplitFunction drops them).
    @Test
    void malformedTransactionsAndModelEventsGoToTheDeadLetterTopic() throws Exception {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        List<String> inputs =
                List.of(fixture.topics.transactions().name(), fixture.topics.modelEvents().name());
        try (KafkaProducer<byte[], byte[]> raw = KAFKA.newProducer()) {
            for (String topic : inputs) {
                raw.send(new ProducerRecord<>(topic, garbage)).get();
            }
        }
        var letters = KAFKA.readAll(fixture.topics.deadLetter().name(), 2, Duration.ofSeconds(60));
        assertThat(letters).hasSize(2);
        AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);
        List<DeadLetter> decoded = new ArrayList<>();
        for (var record : letters) {
            decoded.add(serde.deserialize("dl", 0, 0, record.value()));
        }
        assertThat(decoded)
                .extracting(DeadLetter::getSourceTopic)
                .containsExactlyInAnyOrderElementsOf(inputs);
        for (DeadLetter letter : decoded) {
            assertThat(letter.getComponent()).isEqualTo("scoring-job");
            assertThat(letter.getValue().array()).isEqualTo(garbage);
            assertThat(letter.getReason()).isNotBlank();
        }
    }

    /** Produces transactions at {@link #RATE} per second while {@code during} runs. */
    private int underLoad(int count, Action during) throws Exception {
        AtomicBoolean failed = new AtomicBoolean();
        Thread producer =
                new Thread(
                        () -> {
                            try (KafkaTransactionProducer p =
                                    new KafkaTransactionProducer(
                                            KafkaTransactionProducer.defaultProperties(
                                                    KAFKA.bootstrapServers()),
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
    private void assertFellBackOnlyForThenScoredAgain(String reason, List<Decision> decisions) {
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

    /** Every transaction has exactly one decision (no loss, no repeat without a restart). */
    private List<Decision> allDecisions(int sent) throws Exception {
        List<Decision> decisions = fixture.decisions(sent, Duration.ofSeconds(60));
        Set<String> ids = new HashSet<>();
        Map<String, Integer> repeats = new HashMap<>();
        for (Decision d : decisions) {
            if (!ids.add(d.getTransactionId())) {
                repeats.merge(d.getTransactionId(), 1, Integer::sum);
            }
        }
        assertThat(repeats).isEmpty();
        assertThat(ids)
                .containsExactlyInAnyOrderElementsOf(
                        traffic.subList(0, sent).stream()
                                .map(Transaction::getTransactionId)
                                .toList());
        return decisions;
    }

    private void awaitLoaded(String role, int atLeastPerSubtask) {
        ScoringFixture.awaitAtLeast(
                role + " loaded",
                () -> metrics.modelSwaps.labelValues(role, "loaded").get(),
                atLeastPerSubtask * FlinkMiniCluster.SLOTS,
                Duration.ofSeconds(60));
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }
}
