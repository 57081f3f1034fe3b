package io.vigil.drift;

import io.vigil.drift.records.DecisionInput;
import io.vigil.drift.serde.DecisionDeserializer;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** The job's input: decisions, decoded in the source (malformed ones kept for the dead letters). */
public record DriftSources(Source<DecisionInput, ?, ?> decisions) {

    public static DriftSources kafka(DriftJobConfig config) {
        KafkaSourceBuilder<DecisionInput> builder =
                KafkaSource.<DecisionInput>builder()
                        .setProperties(config.kafkaProperties().properties())
                        .setBootstrapServers(config.bootstrapServers())
                        .setTopics(config.topics().decisions())
                        .setGroupId(config.groupId())
                        .setClientIdPrefix(config.groupId() + "-" + config.topics().decisions())
                        .setStartingOffsets(
                                switch (config.startingOffsets()) {
                                    case EARLIEST -> OffsetsInitializer.earliest();
                                    case LATEST -> OffsetsInitializer.latest();
                                })
                        .setDeserializer(new DecisionDeserializer())
                        // Drift is judged per window of minutes or hours, so batches that wait
                        // up to half a second cost nothing; one fetch per record or two, as at
                        // live rates with the defaults, costs the broker and the fetcher CPU for
                        // every one.
                        .setProperty("fetch.min.bytes", "65536")
                        .setProperty("fetch.max.wait.ms", "500");
        if (config.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return new DriftSources(builder.build());
    }
}
