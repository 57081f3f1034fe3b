package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.OperatorUids;
import org.junit.jupiter.api.Test;

class FeaturePipelineUidsTest {

    @Test
    void keepsTheUidOfEveryOperatorThatEarlierVersionsKeptStateUnder() {
        FeatureJobConfig config =
                FeatureJobConfig.parse(
                        "--bootstrap-servers", "k:9092", "--redis-host", "r", "--redis-port", "1");

        // Read from a savepoint's metadata: sources (split offsets), keyed operators, Kafka sinks
        // (writer and committer state, even at least once).
        assertThat(
                        OperatorUids.of(
                                FeaturePipeline.flinkConfiguration(config),
                                env ->
                                        FeaturePipeline.define(
                                                env,
                                                config,
                                                FeatureSources.kafka(config),
                                                FeatureSinks.kafkaAndRedis(config))))
                .contains(
                        "transactions-source",
                        "labels-source",
                        "dedup-transactions",
                        "fraud-labels",
                        "terminal-risk",
                        "customer-spending",
                        "feature-log-sink",
                        "dead-letter-sink");
    }
}
