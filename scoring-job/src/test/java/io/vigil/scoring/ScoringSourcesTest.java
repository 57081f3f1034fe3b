package io.vigil.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both Kafka sources carry the {@code --kafka-properties} settings under the job's own. */
class ScoringSourcesTest {

    @TempDir Path dir;

    @Test
    void bothSourcesCarryTheFileSettingsAndTheJobsOwnWin() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nclient.id.prefix=from-the-file\n");
        ScoringJobConfig config =
                ScoringJobConfig.parse(
                        "--bootstrap-servers", "k:9092",
                        "--redis-host", "r",
                        "--redis-port", "6379",
                        "--kafka-properties", file.toString());

        ScoringSources sources = ScoringSources.kafka(config);

        for (Source<?, ?, ?> source : List.of(sources.transactions(), sources.control())) {
            Properties properties = properties(source);
            assertThat(properties.getProperty("security.protocol")).isEqualTo("SASL_SSL");
            assertThat(properties.getProperty("bootstrap.servers")).isEqualTo("k:9092");
            assertThat(properties.getProperty("client.id.prefix")).startsWith("vigil-scoring-job-");
        }
    }

    /** The client settings a source reports in its lineage, Flink's public view of them. */
    private static Properties properties(Source<?, ?, ?> source) {
        List<LineageDataset> datasets =
                ((LineageVertexProvider) source).getLineageVertex().datasets();
        assertThat(datasets).hasSize(1);
        return ((KafkaDatasetFacet)
                        datasets.get(0).facets().get(DefaultKafkaDatasetFacet.KAFKA_FACET_NAME))
                .getProperties();
    }
}
