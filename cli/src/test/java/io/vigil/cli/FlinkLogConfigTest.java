package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Flink log configurations, the local stack's and docker-compose's, loaded by Log4j as Flink
 * loads them: each writes to {@code -Dlog.file} and drops only Flink's metric "Name collision"
 * warnings. (This module has Log4j; the files are the stack's, in infra/flink/conf.)
 */
class FlinkLogConfigTest {

    private static final Path CONF = Path.of("..", "infra", "flink", "conf");

    @ParameterizedTest
    @ValueSource(strings = {"log4j.properties", "log4j-console.properties"})
    void dropsTheNameCollisionWarningsOnlyAndWritesToTheLogFile(String file, @TempDir Path dir)
            throws IOException {
        Path log = dir.resolve("taskmanager.log");
        String previous = System.setProperty("log.file", log.toString());
        LoggerContext context = new LoggerContext("flink-" + file);
        try {
            Configuration config =
                    ConfigurationFactory.getInstance()
                            .getConfiguration(
                                    context,
                                    ConfigurationSource.fromUri(CONF.resolve(file).toUri()));
            context.start(config);
            Logger metricGroup = context.getLogger("org.apache.flink.metrics.MetricGroup");
            metricGroup.warn(
                    "Name collision: Group already contains a Metric with the name"
                            + " 'pendingCommittables'. Metric will not be reported.[localhost]");
            metricGroup.warn("Another warning of the metric group");
            context.getLogger("org.apache.flink.runtime.taskmanager.Task")
                    .warn("Name collision: the same words from another logger");
            context.getLogger("org.apache.kafka.clients.NetworkClient").debug("a Kafka detail");
        } finally {
            context.stop();
            if (previous == null) {
                System.clearProperty("log.file");
            } else {
                System.setProperty("log.file", previous);
            }
        }

        String written = Files.readString(log);
        assertThat(written)
                .doesNotContain("pendingCommittables")
                .contains("Another warning of the metric group")
                .contains("the same words from another logger")
                .doesNotContain("a Kafka detail");
    }
}
