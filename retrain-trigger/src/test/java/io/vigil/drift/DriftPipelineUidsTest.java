package io.vigil.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.OperatorUids;
import org.junit.jupiter.api.Test;

class DriftPipelineUidsTest {

    @Test
    void keepsTheUidOfEveryOperatorThatHoldsState() {
        DriftJobConfig config =
                DriftJobConfig.parse("--bootstrap-servers", "k:9092", "--registry", "/r");

        // Source offsets, the windows' keyed state and timers, the Kafka sinks' writer and
        // committer state (open alert transactions).
        assertThat(
                        OperatorUids.of(
                                DriftPipeline.flinkConfiguration(config),
                                env ->
                                        DriftPipeline.define(
                                                env,
                                                config,
                                                DriftSources.kafka(config),
                                                DriftSinks.kafka(config))))
                .contains(
                        "decisions-source",
                        "split-decisions",
                        "drift-windows",
                        "drift-alerts-sink",
                        "dead-letter-sink");
    }
}
