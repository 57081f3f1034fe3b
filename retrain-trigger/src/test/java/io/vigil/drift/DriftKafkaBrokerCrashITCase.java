package io.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running drift job on a Kafka cluster of three brokers (three replicas, two in sync) whose
 * broker coordinating the alerts' Kafka transactions crashes between two shifted hours, or whose
 * brokers all crash for 10 s while the second hour's alerts are written: the job rides through, and
 * each shifted hour's alerts are committed exactly once, the one decided during the failure
 * included.
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
        DriftFixture.assertShiftedHoursCommittedOnceThrough(
                KAFKA,
                registry,
                "crash",
                run -> {
                    int coordinator =
                            KAFKA.transactionCoordinatorOf(
                                    DriftFixture.transactionalIdPrefix(run.topics(), "crash"));
                    KAFKA.crashBroker(coordinator);
                    try {
                        // Hour 3 is shifted and its window closes while the coordinator is down.
                        run.sendHour(3, true);
                        run.sendHour(4, false);
                        run.producer().flush();
                        Thread.sleep(3_000);
                        assertThat(run.job().getJobStatus().get().isTerminalState())
                                .as("the job was still running while the broker was down")
                                .isFalse();
                        Thread.sleep(9_000);
                    } finally {
                        KAFKA.startBroker(coordinator);
                    }
                    return 5;
                });
    }

    @Test
    void alertsAreCommittedExactlyOnceAcrossAWholeClusterOutage() throws Exception {
        DriftFixture.assertShiftedHoursCommittedOnceThrough(
                KAFKA,
                registry,
                "outage",
                run -> {
                    // Hour 3 is shifted; hour 4 closes its window, and the brokers go down while
                    // the job writes and commits its alerts.
                    run.sendHour(3, true);
                    run.sendHour(4, false);
                    run.producer().flush();
                    KAFKA.brokerIds().forEach(KAFKA::crashBroker);
                    try {
                        Thread.sleep(10_000);
                    } finally {
                        KAFKA.startStoppedBrokers();
                    }
                    return 5;
                });
    }
}
