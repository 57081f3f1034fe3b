package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.OperatorUids;
import org.junit.jupiter.api.Test;

class ScoringPipelineUidsTest {

    @Test
    void keepsTheUidOfEveryOperatorThatEarlierVersionsKeptStateUnder() {
        ScoringJobConfig config =
                ScoringJobConfig.parse(
                        "--bootstrap-servers", "k:9092", "--redis-host", "r", "--redis-port", "1");

        // Read from a savepoint's metadata (2026-11-23): sources (split offsets), keyed and
        // broadcast state, the async lookup's in-flight requests, Kafka sinks (writer and
        // committer). control-source replaced two sources that day (docs/scoring.md).
        assertThat(
                        OperatorUids.of(
                                ScoringPipeline.flinkConfiguration(config),
                                env ->
                                        ScoringPipeline.define(
                                                env,
                                                config,
                                                ScoringSources.kafka(config),
                                                ScoringSinks.kafka(config))))
                .contains(
                        "transactions-source",
                        "recent-transactions",
                        "feature-lookup",
                        "control-source",
                        "scoring",
                        "decisions-sink",
                        "model-events-sink",
                        "dead-letter-sink",
                        "control-dead-letter-sink");
    }
}
