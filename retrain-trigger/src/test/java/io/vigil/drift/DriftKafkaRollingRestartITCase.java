package io.vigil.drift;

import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running drift job while its Kafka cluster of three brokers is restarted broker by broker, as
 * an upgrade does (each hands its partitions and transaction coordinators over, stops, starts and
 * catches up before the next one stops), with an hour of decisions arriving during each broker's
 * restart, a shifted one among them: every shifted hour's alerts are committed, none twice.
 *
 * <p>The brokers keep Kafka's default time-based retention (7 days) and the decisions are from
 * 2018, as in a backfill: a restarted broker's first retention check, 30 s after it starts, deleted
 * alerts while their record time was the window end.
 */
class DriftKafkaRollingRestartITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.rollingRestartable();

    @TempDir Path registry;

    @Test
    void alertsAreCommittedExactlyOnceThroughARollingRestart() throws Exception {
        DriftFixture.assertShiftedHoursCommittedOnceThrough(
                KAFKA,
                registry,
                "rolling",
                run -> {
                    int hour = 3;
                    for (int id : KAFKA.brokerIds().stream().sorted().toList()) {
                        KAFKA.shutDownBroker(id);
                        run.sendHour(hour, hour == 3);
                        run.producer().flush();
                        hour++;
                        // The hour's alerts are written while the broker is down.
                        Thread.sleep(1_000);
                        KAFKA.startBroker(id);
                        KAFKA.awaitAllInSync();
                    }
                    return hour;
                });
    }
}
