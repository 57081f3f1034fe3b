package io.vigil.drift;

import static io.vigil.drift.ProfiledRegistry.AMOUNT;
import static io.vigil.drift.ProfiledRegistry.COUNT;
import static io.vigil.drift.ProfiledRegistry.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.vigil.drift.records.Observation;
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
import io.vigil.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The drift job's integration tests: hours of decisions drawn from {@link ProfiledRegistry}'s
 * reference distributions, or shifted (amounts ×3, scores +0.3), the job on the MiniCluster, and
 * the alerts it commits.
 */
final class DriftFixture {

    static final long HOUR = 3_600_000;
    static final Instant T0 = Instant.parse("2018-06-01T00:00:00Z");
    static final int PER_WINDOW = 1_200;

    private static final AvroSerde<Decision> DECISIONS = AvroSerde.of(Decision.class);

    private DriftFixture() {}

    /** Sends the decisions of hour {@code window} after {@link #T0}, spread evenly over it. */
    static void sendHour(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int window,
            boolean shift,
            Random random) {
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
                            DECISIONS.serialize(decision)));
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

    /** The transactional id prefix of the alerts of the run {@code name}. */
    static String transactionalIdPrefix(TopicRegistry topics, String name) {
        return topics.driftAlerts().name() + "-" + name;
    }

    /**
     * Submits the run {@code name} of the drift job (consumer group {@code drift-<name>}) between
     * {@code kafka}'s topics and {@code registry}, checkpointing every 500 ms, with {@code extra}
     * options.
     */
    static JobClient submit(
            KafkaExtension kafka, Path registry, TopicRegistry topics, String name, String... extra)
            throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--registry",
                                registry.toString(),
                                "--decisions-topic",
                                topics.decisions().name(),
                                "--drift-alerts-topic",
                                topics.driftAlerts().name(),
                                "--dead-letter-topic",
                                topics.deadLetter().name(),
                                "--group-id",
                                "drift-" + name,
                                "--transactional-id-prefix",
                                transactionalIdPrefix(topics, name),
                                "--checkpoint-interval",
                                "500ms",
                                "--parallelism",
                                Integer.toString(FlinkMiniCluster.SLOTS),
                                "--metrics-host",
                                "127.0.0.1",
                                "--metrics-port",
                                "0"));
        args.addAll(List.of(extra));
        DriftJobConfig config = DriftJobConfig.parse(args.toArray(String[]::new));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        DriftPipeline.flinkConfiguration(config));
        DriftPipeline.define(env, config, DriftSources.kafka(config), DriftSinks.kafka(config));
        return env.executeAsync("drift job " + name);
    }

    /**
     * Every committed alert, after waiting for {@code expected} of them (and a little for more).
     */
    static List<DriftAlert> alerts(KafkaExtension kafka, TopicRegistry topics, int expected)
            throws MalformedRecordException {
        List<ConsumerRecord<byte[], byte[]>> records =
                kafka.readAll(topics.driftAlerts().name(), expected + 1, Duration.ofSeconds(3));
        AvroSerde<DriftAlert> serde = AvroSerde.of(DriftAlert.class);
        List<DriftAlert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(MODEL);
            alerts.add(serde.deserialize("alerts", 0, record.offset(), record.value()));
        }
        assertThat(alerts).hasSize(expected);
        return alerts;
    }

    /** PSI and KS of the amount and of the score, each once: what a shifted hour raises. */
    static void assertShiftedHourAlerts(List<DriftAlert> alerts) {
        assertThat(alerts)
                .extracting(DriftAlert::getSubject, DriftAlert::getMetric)
                .containsExactlyInAnyOrder(
                        tuple(AMOUNT, DriftMetric.PSI),
                        tuple(AMOUNT, DriftMetric.KS),
                        tuple(Observation.SCORE, DriftMetric.PSI),
                        tuple(Observation.SCORE, DriftMetric.KS));
    }

    /** Waits until {@code count} alerts are committed (up to 90 s). */
    static void awaitCommittedAlerts(KafkaExtension kafka, TopicRegistry topics, int count) {
        String topic = topics.driftAlerts().name();
        await().atMost(Duration.ofSeconds(90))
                .until(() -> kafka.readAll(topic, count, Duration.ofSeconds(1)).size() >= count);
    }

    /**
     * The alerts of the shifted {@code hours} (after {@link #T0}), each raised once, none twice;
     * {@link #alerts} already checked how many there are.
     */
    static void assertAlertsOfShiftedHours(List<DriftAlert> alerts, int... hours) {
        for (int hour : hours) {
            long start = T0.toEpochMilli() + hour * HOUR;
            assertShiftedHourAlerts(
                    alerts.stream()
                            .filter(a -> a.getWindowStart().toEpochMilli() == start)
                            .toList());
        }
        assertThat(alerts).extracting(DriftAlert::getAlertId).doesNotHaveDuplicates();
    }

    /** A run of the drift job as {@link #assertShiftedHoursCommittedOnceThrough} hands it over. */
    record Run(
            KafkaProducer<byte[], byte[]> producer,
            TopicRegistry topics,
            Random random,
            JobClient job) {

        void sendHour(int window, boolean shift) {
            DriftFixture.sendHour(producer, topics.decisions().name(), window, shift, random);
        }
    }

    /** What a test does to Kafka while it sends hour 3 (shifted) and the hours after it. */
    interface Disturbance {
        /** Returns the next hour to send, which closes the last window it sent. */
        int sendFromHour3(Run run) throws Exception;
    }

    /**
     * Runs the job {@code name} with {@code --realert-after 0s} (hour 3 drifts like hour 1 and must
     * be alerted on again): hours 0–2, hour 1 shifted, until their alerts are committed; then
     * {@code disturbance}; then one more hour. Both shifted hours' alerts are committed, none
     * twice.
     */
    static void assertShiftedHoursCommittedOnceThrough(
            KafkaExtension kafka, Path registry, String name, Disturbance disturbance)
            throws Exception {
        TopicRegistry topics = kafka.freshTopics();
        ProfiledRegistry.addVersion(registry, "v1", ProfiledRegistry.referenceProfile(20_000, 1));
        JobClient job = submit(kafka, registry, topics, name, "--realert-after", "0s");
        try {
            try (KafkaProducer<byte[], byte[]> producer = kafka.newProducer()) {
                Run run = new Run(producer, topics, new Random(11), job);
                run.sendHour(0, false);
                run.sendHour(1, true);
                run.sendHour(2, false);
                producer.flush();
                awaitCommittedAlerts(kafka, topics, 4);
                run.sendHour(disturbance.sendFromHour3(run), false);
            }
            awaitCommittedAlerts(kafka, topics, 8);

            assertAlertsOfShiftedHours(alerts(kafka, topics, 8), 1, 3);
        } finally {
            job.cancel().get();
        }
    }
}
