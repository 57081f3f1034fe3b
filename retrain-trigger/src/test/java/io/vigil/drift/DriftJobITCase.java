package io.vigil.drift;

import static io.vigil.drift.ProfiledRegistry.AMOUNT;
import static io.vigil.drift.ProfiledRegistry.COUNT;
import static io.vigil.drift.ProfiledRegistry.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.drift.metrics.DriftMetrics;
import io.vigil.drift.records.Observation;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.DriftMetric;
import io.vigil.schemas.FeatureValue;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaAcls;
import io.vigil.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift job between a real broker and a MiniCluster, in bounded mode: an in-distribution hour
 * raises nothing, an hour with shifted amounts and scores raises PSI and KS alerts for exactly
 * those two subjects, committed (read_committed) with ids that a replay reproduces; malformed bytes
 * reach the dead-letter topic. The broker takes only authenticated clients (SCRAM over TLS), so the
 * source and both sinks prove they use the settings of {@code --kafka-properties}, with no more
 * than the ACLs docs/security.md lists for the drift job.
 */
class DriftJobITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.withSaslOverTls();

    private static final long HOUR = 3_600_000;
    private static final Instant T0 = Instant.parse("2018-06-01T00:00:00Z");
    private static final int PER_WINDOW = 1_200;
    private static final byte[] GARBAGE = "not avro".getBytes(StandardCharsets.UTF_8);

    @TempDir Path registry;
    @TempDir Path settings;

    @Test
    void alertsOnTheShiftedHourOnlyAndAReplayRepeatsTheirIds() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        ProfiledRegistry.addVersion(registry, "v1", ProfiledRegistry.referenceProfile(20_000, 1));
        produce(topics.decisions().name());
        DriftMetrics metrics = DriftMetrics.acquire("127.0.0.1", 0);
        try {
            run(topics, "first");

            List<DriftAlert> alerts = alerts(topics, 4);
            long shifted = T0.toEpochMilli() + HOUR;
            assertThat(alerts)
                    .extracting(DriftAlert::getSubject, DriftAlert::getMetric)
                    .containsExactlyInAnyOrder(
                            tuple(AMOUNT, DriftMetric.PSI),
                            tuple(AMOUNT, DriftMetric.KS),
                            tuple(Observation.SCORE, DriftMetric.PSI),
                            tuple(Observation.SCORE, DriftMetric.KS));
            for (DriftAlert alert : alerts) {
                assertThat(alert.getModel()).isEqualTo(MODEL);
                assertThat(alert.getVersion()).isEqualTo("v1");
                assertThat(alert.getWindowStart().toEpochMilli()).isEqualTo(shifted);
                assertThat(alert.getWindowEnd().toEpochMilli()).isEqualTo(shifted + HOUR);
                assertThat(alert.getCreatedAt()).isEqualTo(alert.getWindowEnd());
                assertThat(alert.getValue()).isGreaterThanOrEqualTo(alert.getThreshold());
                String name =
                        MODEL
                                + "|v1|"
                                + alert.getSubject()
                                + "|"
                                + alert.getMetric()
                                + "|"
                                + shifted;
                assertThat(alert.getAlertId())
                        .isEqualTo(
                                UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))
                                        .toString());
            }
            // Fallback decisions carry no score: the score has fewer values than the features.
            assertThat(alerts)
                    .filteredOn(a -> a.getSubject().equals(AMOUNT))
                    .allSatisfy(a -> assertThat(a.getSampleSize()).isEqualTo(PER_WINDOW));
            assertThat(alerts)
                    .filteredOn(a -> a.getSubject().equals(Observation.SCORE))
                    .allSatisfy(a -> assertThat(a.getSampleSize()).isLessThan(PER_WINDOW));

            assertThat(metrics.windows.labelValues(MODEL, "v1", "evaluated").get()).isEqualTo(2);
            assertThat(metrics.windows.labelValues(MODEL, "v2", "no_profile").get()).isEqualTo(2);
            assertThat(metrics.psi.labelValues(MODEL, "v1", COUNT).get()).isLessThan(0.2);
            assertThat(
                            metrics.deadLetters
                                    .labelValues(
                                            "malformed_"
                                                    + topics.decisions().name().replace('.', '_'))
                                    .get())
                    .isEqualTo(1);
            assertDeadLetter(topics);

            // A restart without checkpoint re-reads from the earliest offsets.
            run(topics, "replay");
            List<DriftAlert> all = alerts(topics, 8);
            assertThat(all.subList(4, 8))
                    .extracting(DriftAlert::getAlertId)
                    .containsExactlyInAnyOrderElementsOf(
                            alerts.stream().map(DriftAlert::getAlertId).toList());
        } finally {
            DriftMetrics.release(metrics);
        }
    }

    /** One in-distribution hour, one with amounts ×3 and scores +0.3, and one malformed record. */
    private static void produce(String topic) throws Exception {
        AvroSerde<Decision> serde = AvroSerde.of(Decision.class);
        Random random = new Random(11);
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
            for (int window = 0; window < 2; window++) {
                boolean shift = window == 1;
                for (int i = 0; i < PER_WINDOW; i++) {
                    String id = "tx-" + window + "-" + i;
                    double amount = ProfiledRegistry.amount(random) * (shift ? 3 : 1);
                    double score = ProfiledRegistry.score(random) + (shift ? 0.3 : 0);
                    Decision decision =
                            decision(
                                    id,
                                    T0.plusMillis(window * HOUR + i * (HOUR / PER_WINDOW)),
                                    amount,
                                    ProfiledRegistry.count(random),
                                    // Every tenth decision fell back: no score, features kept.
                                    i % 10 == 0 ? null : Math.min(score, 1),
                                    i % 3 == 0);
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    id.getBytes(StandardCharsets.UTF_8),
                                    serde.serialize(decision)));
                }
            }
            producer.send(new ProducerRecord<>(topic, GARBAGE)).get();
        }
    }

    private static Decision decision(
            String id, Instant at, double amount, double count, Double score, boolean challenged) {
        return Decision.newBuilder()
                .setTransactionId(id)
                .setEventTime(at)
                .setCustomerId("c-" + id)
                .setDecision(DecisionOutcome.APPROVE)
                .setBand("low")
                .setDecidedBy(score == null ? ModelRole.FALLBACK : ModelRole.CHAMPION)
                .setFallbackReason(score == null ? "lookup_timeout" : null)
                .setChampion(new ModelScore(MODEL, "v1", score, null))
                // A shadow challenger the registry has no profile of.
                .setChallenger(challenged ? new ModelScore(MODEL, "v2", 0.5, null) : null)
                .setFeatures(
                        List.of(
                                new FeatureValue(AMOUNT, amount, null),
                                new FeatureValue(COUNT, count, 1_000L),
                                new FeatureValue("request:tx_during_night", 1.0, null)))
                .setLatency(new LatencyBreakdown(0L, 0L, 0L, 0L))
                .setEmittedAt(at)
                .build();
    }

    private void run(TopicRegistry topics, String name) throws Exception {
        String groupId = "drift-" + name;
        String transactionalIdPrefix = topics.driftAlerts().name() + "-" + name;
        // The ACLs docs/security.md lists for the drift job, and no more.
        KAFKA.grant(
                KafkaAcls.forPrincipal(KAFKA.clientPrincipal())
                        .readTopics(topics.decisions().name())
                        .writeTopics(topics.driftAlerts().name(), topics.deadLetter().name())
                        .readGroup(groupId)
                        .writeTransactionalIds(transactionalIdPrefix));
        DriftJobConfig config =
                DriftJobConfig.parse(
                        "--bootstrap-servers",
                        KAFKA.bootstrapServers(),
                        "--kafka-properties",
                        KAFKA.clientSettingsFile(settings).toString(),
                        "--registry",
                        registry.toString(),
                        "--decisions-topic",
                        topics.decisions().name(),
                        "--drift-alerts-topic",
                        topics.driftAlerts().name(),
                        "--dead-letter-topic",
                        topics.deadLetter().name(),
                        "--group-id",
                        groupId,
                        "--transactional-id-prefix",
                        transactionalIdPrefix,
                        "--bounded",
                        "--checkpoint-interval",
                        "500ms",
                        "--parallelism",
                        Integer.toString(FlinkMiniCluster.SLOTS),
                        "--metrics-host",
                        "127.0.0.1",
                        "--metrics-port",
                        "0");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        DriftPipeline.flinkConfiguration(config));
        DriftPipeline.define(env, config, DriftSources.kafka(config), DriftSinks.kafka(config));
        JobClient job = env.executeAsync("drift job " + name);
        job.getJobExecutionResult().get(40, TimeUnit.SECONDS);
    }

    /**
     * Every committed alert, after waiting for {@code expected} of them (and a little for more).
     */
    private static List<DriftAlert> alerts(TopicRegistry topics, int expected)
            throws MalformedRecordException {
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.readAll(topics.driftAlerts().name(), expected + 1, Duration.ofSeconds(3));
        AvroSerde<DriftAlert> serde = AvroSerde.of(DriftAlert.class);
        List<DriftAlert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(MODEL);
            alerts.add(serde.deserialize("alerts", 0, record.offset(), record.value()));
        }
        assertThat(alerts).hasSize(expected);
        return alerts;
    }

    private static void assertDeadLetter(TopicRegistry topics) throws MalformedRecordException {
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.readAll(topics.deadLetter().name(), 1, Duration.ofSeconds(10));
        assertThat(records).hasSize(1);
        DeadLetter letter =
                AvroSerde.of(DeadLetter.class).deserialize("dl", 0, 0, records.get(0).value());
        assertThat(letter.getSourceTopic()).isEqualTo(topics.decisions().name());
        assertThat(letter.getSourceOffset()).isNotNegative();
        assertThat(letter.getValue().array()).isEqualTo(GARBAGE);
        assertThat(letter.getReason()).contains("not Avro single-object encoded");
        assertThat(letter.getComponent()).isEqualTo("drift-job");
    }
}
