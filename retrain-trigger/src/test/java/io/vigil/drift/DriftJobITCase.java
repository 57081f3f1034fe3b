package io.vigil.drift;

import static io.vigil.drift.DriftFixture.HOUR;
import static io.vigil.drift.DriftFixture.PER_WINDOW;
import static io.vigil.drift.DriftFixture.T0;
import static io.vigil.drift.ProfiledRegistry.AMOUNT;
import static io.vigil.drift.ProfiledRegistry.COUNT;
import static io.vigil.drift.ProfiledRegistry.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.drift.metrics.DriftMetrics;
import io.vigil.drift.records.Observation;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaAcls;
import io.vigil.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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

            List<DriftAlert> alerts = DriftFixture.alerts(KAFKA, topics, 4);
            long shifted = T0.toEpochMilli() + HOUR;
            DriftFixture.assertShiftedHourAlerts(alerts);
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
            List<DriftAlert> all = DriftFixture.alerts(KAFKA, topics, 8);
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
        Random random = new Random(11);
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
            DriftFixture.sendHour(producer, topic, 0, false, random);
            DriftFixture.sendHour(producer, topic, 1, true, random);
            producer.send(new ProducerRecord<>(topic, GARBAGE)).get();
        }
    }

    private void run(TopicRegistry topics, String name) throws Exception {
        // The ACLs docs/security.md lists for the drift job, and no more.
        KAFKA.grant(
                KafkaAcls.forPrincipal(KAFKA.clientPrincipal())
                        .readTopics(topics.decisions().name())
                        .writeTopics(topics.driftAlerts().name(), topics.deadLetter().name())
                        .readGroup("drift-" + name)
                        .writeTransactionalIds(DriftFixture.transactionalIdPrefix(topics, name)));
        DriftFixture.submit(
                        KAFKA,
                        registry,
                        topics,
                        name,
                        "--kafka-properties",
                        KAFKA.clientSettingsFile(settings).toString(),
                        "--bounded")
                .getJobExecutionResult()
                .get(40, TimeUnit.SECONDS);
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
