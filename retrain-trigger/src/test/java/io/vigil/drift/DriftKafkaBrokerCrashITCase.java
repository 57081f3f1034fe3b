package io.vigil.drift;

import static io.vigil.drift.DriftFixture.HOUR;
import static io.vigil.drift.DriftFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running drift job on a Kafka cluster of three brokers (three replicas, two in sync) whose
 * broker coordinating the alerts' Kafka transactions crashes between two shifted hours: the job
 * rides through, and each shifted hour's alerts are committed exactly once, the one decided while
 * the coordinator was down included.
 */
class DriftKafkaBrokerCrashITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.replicated();

    @TempDir Path registry;

    @AfterEach
    void everyBrokerRunsAgain() {
        for (int id : KAFKA.brokerIds()) {
            if (!KAFKA.isRunning(id)) {
                KAFKA.startBroker(id);
            }
        }
    }

    private static void awaitCommittedAlerts(String topic, int count) {
        await().atMost(Duration.ofSeconds(90))
                .until(() -> KAFKA.readAll(topic, count, Duration.ofSeconds(1)).size() >= count);
    }

    @Test
    void alertsAreCommittedExactlyOnceAcrossACrashOfTheirTransactionCoordinator() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        String decisions = topics.decisions().name();
        ProfiledRegistry.addVersion(registry, "v1", ProfiledRegistry.referenceProfile(20_000, 1));
        // Hour 3 drifts like hour 1 and must be alerted on again.
        JobClient job =
                DriftFixture.submit(KAFKA, registry, topics, "crash", "--realert-after", "0s");
        try {
            Random random = new Random(11);
            String alertsTopic = topics.driftAlerts().name();
            try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
                // Hour 1 is shifted; hour 2 closes its window.
                DriftFixture.sendHour(producer, decisions, 0, false, random);
                DriftFixture.sendHour(producer, decisions, 1, true, random);
                DriftFixture.sendHour(producer, decisions, 2, false, random);
                producer.flush();
                awaitCommittedAlerts(alertsTopic, 4);

                int coordinator =
                        KAFKA.transactionCoordinatorOf(
                                DriftFixture.transactionalIdPrefix(topics, "crash"));
                KAFKA.crashBroker(coordinator);
                try {
                    // Hour 3 is shifted and its window closes while the coordinator is down.
                    DriftFixture.sendHour(producer, decisions, 3, true, random);
                    DriftFixture.sendHour(producer, decisions, 4, false, random);
                    producer.flush();
                    Thread.sleep(3_000);
                    assertThat(job.getJobStatus().get().isTerminalState())
                            .as("the job was still running while the broker was down")
                            .isFalse();
                    Thread.sleep(9_000);
                } finally {
                    KAFKA.startBroker(coordinator);
                }
                DriftFixture.sendHour(producer, decisions, 5, false, random);
            }
            awaitCommittedAlerts(alertsTopic, 8);

            List<DriftAlert> alerts = DriftFixture.alerts(KAFKA, topics, 8);
            long[] shiftedHours = {T0.toEpochMilli() + HOUR, T0.toEpochMilli() + 3 * HOUR};
            for (long start : shiftedHours) {
                DriftFixture.assertShiftedHourAlerts(
                        alerts.stream()
                                .filter(a -> a.getWindowStart().toEpochMilli() == start)
                                .toList());
            }
            assertThat(alerts).extracting(DriftAlert::getAlertId).doesNotHaveDuplicates();
        } finally {
            job.cancel().get();
        }
    }
}
