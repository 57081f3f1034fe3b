package io.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import java.nio.file.Path;
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
        KAFKA.startStoppedBrokers();
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
            try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
                // Hour 1 is shifted; hour 2 closes its window.
                DriftFixture.sendHour(producer, decisions, 0, false, random);
                DriftFixture.sendHour(producer, decisions, 1, true, random);
                DriftFixture.sendHour(producer, decisions, 2, false, random);
                producer.flush();
                DriftFixture.awaitCommittedAlerts(KAFKA, topics, 4);

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
            DriftFixture.awaitCommittedAlerts(KAFKA, topics, 8);

            DriftFixture.assertAlertsOfShiftedHours(DriftFixture.alerts(KAFKA, topics, 8), 1, 3);
        } finally {
            job.cancel().get();
        }
    }
}
