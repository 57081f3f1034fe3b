package io.vigil.scoring;

import static io.vigil.schemas.feast.FeatureViews.CUSTOMER_SPENDING;
import static io.vigil.schemas.feast.FeatureViews.TERMINAL_RISK;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Decision;
import io.vigil.schemas.FeatureValue;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.ModelEventType;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.scoring.lookup.SnapshotWriter;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaAcls;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * The scoring job against a Kafka that speaks only TLS, requires a SCRAM-SHA-512 login and grants
 * the job's user only the ACLs docs/security.md lists, and a Redis whose only ACL user needs a
 * password, configured as users do: {@code --kafka-properties}, {@code --redis-user} and {@code
 * --redis-password-file}. With the right password the champion scores every transaction from its
 * Redis snapshots, and every Kafka source and sink of the job works; with a wrong one every
 * transaction still gets one fallback decision.
 */
class SecuredScoringITCase {

    private static final String USER = "scoring";
    private static final String PASSWORD = "scoring-secret";
    private static final int TRANSACTIONS = 10;
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final int SEEDED_CUSTOMER_TXS = 3;
    private static final int SEEDED_TERMINAL_TXS = 5;

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.withSaslOverTls();
    @RegisterExtension static final RedisExtension REDIS = RedisExtension.withUser(USER, PASSWORD);

    @TempDir Path dir;

    private List<Transaction> transactions;
    private ScoringFixture fixture;
    private ScoringMetrics metrics;

    @BeforeEach
    void registerChampion() {
        transactions = distinctCustomersAndTerminals(ScoringFixture.simulate(100, 200, 3, 11));
        fixture = new ScoringFixture(KAFKA, REDIS, dir.resolve("registry"));
        fixture.register("v1", new float[15], -3f);
        fixture.registry.setChampion("fraud", "v1", ScoringFixture.BY);
        metrics = ScoringFixture.metrics();
        TopicRegistry topics = fixture.topics;
        KAFKA.grant(
                KafkaAcls.forPrincipal(KAFKA.clientPrincipal())
                        .readTopics(
                                topics.transactions().name(),
                                topics.labels().name(),
                                topics.modelEvents().name())
                        .writeTopics(
                                topics.decisions().name(),
                                topics.modelEvents().name(),
                                topics.deadLetter().name())
                        .readGroup(fixture.project + "-scoring"));
    }

    @AfterEach
    void release() {
        ScoringMetrics.release(metrics);
        fixture.close();
    }

    @Test
    void withTheCredentialsTheChampionScoresFromRedisAndEverySinkDelivers() throws Exception {
        try (SnapshotWriter redis =
                new SnapshotWriter(REDIS, new RedisAuth(USER, PASSWORD, false), fixture.project)) {
            for (Transaction tx : transactions) {
                long t = tx.getEventTime().toEpochMilli();
                redis.customer(tx.getCustomerId(), snapshot(t, t - 2 * DAY, SEEDED_CUSTOMER_TXS));
                redis.terminal(tx.getTerminalId(), snapshot(t, t - 8 * DAY, SEEDED_TERMINAL_TXS));
            }
        }
        JobClient job = fixture.startScoring(securedConfig(PASSWORD));
        try {
            awaitChampionLoaded();
            fixture.produce(transactions, List.of());
            try (KafkaProducer<byte[], byte[]> raw = KAFKA.newProducer()) {
                byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
                raw.send(new ProducerRecord<>(fixture.topics.transactions().name(), garbage)).get();
            }

            List<Decision> decisions = oneDecisionEach();
            assertThat(decisions)
                    .allSatisfy(
                            d -> {
                                assertThat(d.getFallbackReason()).isNull();
                                assertThat(d.getDecidedBy()).isEqualTo(ModelRole.CHAMPION);
                                assertThat(d.getChampion().getVersion()).isEqualTo("v1");
                                // The seeded history (plus the transaction itself): from Redis.
                                assertThat(feature(d, CUSTOMER_SPENDING).getValue())
                                        .isEqualTo(SEEDED_CUSTOMER_TXS + 1);
                                assertThat(feature(d, TERMINAL_RISK).getValue())
                                        .isEqualTo(SEEDED_TERMINAL_TXS);
                            });
            String deadLetters = fixture.topics.deadLetter().name();
            assertThat(KAFKA.readAll(deadLetters, 1, Duration.ofSeconds(60))).hasSize(1);
            assertThat(modelEventTypes()).contains(ModelEventType.LOADED);
        } finally {
            ScoringFixture.cancel(job);
        }
    }

    @Test
    void withAWrongRedisPasswordEveryTransactionFallsBackOnce() throws Exception {
        JobClient job = fixture.startScoring(securedConfig("not-the-password"));
        try {
            awaitChampionLoaded();
            fixture.produce(transactions, List.of());

            List<Decision> decisions = oneDecisionEach();
            assertThat(decisions)
                    .extracting(Decision::getDecidedBy)
                    .containsOnly(ModelRole.FALLBACK);
            assertThat(decisions)
                    .extracting(Decision::getFallbackReason)
                    .containsOnly("redis_unavailable");
            assertThat(metrics.fallbacks.labelValues("redis_unavailable").get())
                    .isEqualTo(TRANSACTIONS);
        } finally {
            ScoringFixture.cancel(job);
        }
    }

    @Test
    void exactlyOnceDecisionsNeedOnlyTheGrantOnTheirTransactionalIds() throws Exception {
        String prefix = fixture.project + "-decisions";
        KAFKA.grant(KafkaAcls.forPrincipal(KAFKA.clientPrincipal()).writeTransactionalIds(prefix));
        JobClient job =
                fixture.startScoring(
                        securedConfig(
                                PASSWORD,
                                "--decision-delivery",
                                "exactly-once",
                                "--transactional-id-prefix",
                                prefix));
        try {
            awaitChampionLoaded();
            fixture.produce(transactions, List.of());

            // Read committed: the decisions' transactions were committed at a checkpoint.
            assertThat(oneDecisionEach()).hasSize(TRANSACTIONS);
        } finally {
            ScoringFixture.cancel(job);
        }
    }

    /** The options of a secured deployment: every secret in a file. */
    private ScoringJobConfig securedConfig(String redisPassword, String... extraOptions)
            throws Exception {
        Path kafkaProperties = KAFKA.clientSettingsFile(dir);
        Path passwordFile = Files.writeString(dir.resolve("redis-password"), redisPassword + "\n");
        List<String> options =
                new ArrayList<>(
                        List.of(
                                "--kafka-properties", kafkaProperties.toString(),
                                "--redis-user", USER,
                                "--redis-password-file", passwordFile.toString()));
        options.addAll(List.of(extraOptions));
        return fixture.scoringConfig(options.toArray(String[]::new));
    }

    /** Transactions of as many customers and terminals, so each has exactly one here. */
    private static List<Transaction> distinctCustomersAndTerminals(ScoringFixture.Traffic traffic) {
        Set<String> customers = new HashSet<>();
        Set<String> terminals = new HashSet<>();
        return traffic.transactions().stream()
                .filter(
                        tx ->
                                customers.add(tx.getCustomerId())
                                        && terminals.add(tx.getTerminalId()))
                .limit(TRANSACTIONS)
                .toList();
    }

    /**
     * A history from 40 days before {@code t} to an hour before, of {@code count} events at one
     * time.
     */
    private static WindowHistorySnapshot snapshot(long t, long at, int count) {
        return new WindowHistorySnapshot(
                t - Duration.ofHours(1).toMillis(),
                t - 40 * DAY,
                new long[] {at},
                new long[] {count},
                new long[] {count});
    }

    /** The view's 30-day count in {@code decision}, which has an age: it came from a snapshot. */
    private static FeatureValue feature(Decision decision, FeatureViewSpec view) {
        String name = FeatureViewSpec.qualifiedName(view.name(), "nb_tx_30d");
        FeatureValue value =
                decision.getFeatures().stream()
                        .filter(f -> f.getName().equals(name))
                        .findFirst()
                        .orElseThrow();
        assertThat(value.getAgeMs()).as("age of %s", name).isNotNull();
        return value;
    }

    private void awaitChampionLoaded() {
        ScoringFixture.awaitAtLeast(
                "champion loaded",
                () -> metrics.modelSwaps.labelValues("champion", "loaded").get(),
                FlinkMiniCluster.SLOTS,
                Duration.ofSeconds(60));
    }

    /** Every transaction's decision, each once. */
    private List<Decision> oneDecisionEach() throws Exception {
        List<Decision> decisions = fixture.decisions(TRANSACTIONS, Duration.ofSeconds(60));
        assertThat(decisions)
                .extracting(Decision::getTransactionId)
                .containsExactlyInAnyOrderElementsOf(
                        transactions.stream().map(Transaction::getTransactionId).toList());
        return decisions;
    }

    /** Types of the model events: the registry's two (registered, champion set), then the job's. */
    private List<ModelEventType> modelEventTypes() throws Exception {
        AvroSerde<ModelEvent> serde = AvroSerde.of(ModelEvent.class);
        List<ModelEventType> types = new ArrayList<>();
        for (var r :
                KAFKA.readAll(fixture.topics.modelEvents().name(), 3, Duration.ofSeconds(60))) {
            types.add(serde.deserialize(r.topic(), r.partition(), r.offset(), r.value()).getType());
        }
        return types;
    }
}
