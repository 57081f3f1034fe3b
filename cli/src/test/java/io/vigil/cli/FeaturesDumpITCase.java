package io.vigil.cli;

import static io.vigil.cli.VigilCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCommandTest.Run;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil features dump} against a real broker. */
class FeaturesDumpITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir Path dir;

    @Test
    void dumpsTheWholeLogSortedLikeTheInputAndSkipsWhatItCannotDecode() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        FeatureLogFixture log = new FeatureLogFixture(3, 400);
        log.produce(KAFKA.producerProperties(), topics);
        // Out of order on purpose: same-millisecond ids 1200 and 999 in text order, after rows
        // of earlier times, and one record that is not a feature vector.
        Random random = new Random(3);
        Instant tie = FeatureLogFixture.START.plusSeconds(3 * 86_400);
        AvroSerde<FeatureVector> serde = AvroSerde.of(FeatureVector.class);
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
            producer.send(record(topics, "x", "not avro".getBytes(StandardCharsets.UTF_8)));
            for (FeatureVector v :
                    List.of(
                            FeatureLogFixture.vector("1200", tie, "c1", "t1", false, random),
                            FeatureLogFixture.vector("999", tie, "c2", "t2", true, random))) {
                producer.send(record(topics, v.getTransactionId(), serde.serialize(v)));
            }
        }
        Path csv = dir.resolve("features.csv");

        Run dump =
                vigil(
                        "features",
                        "dump",
                        "--out",
                        csv.toString(),
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic-prefix",
                        topics.transactions().name().replace("transactions", ""));

        assertThat(dump.exitCode()).as(dump.err()).isZero();
        assertThat(dump.out())
                .startsWith("wrote 1,202 rows to " + csv)
                .contains("(from " + topics.features().name() + " at ")
                .contains("; 1 malformed records skipped)")
                .contains("event times 2018-04-01T00:00:00Z … 2018-04-04T00:00:00Z");
        assertThat(dump.err())
                .contains(
                        "vigil: skipped malformed record in topic "
                                + topics.features().name()
                                + " partition ");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1 + 1_202);
        assertThat(lines.get(0)).startsWith("transaction_id,event_time,customer_id,terminal_id,");
        // The fixture numbers transactions in time order, so the ids must come out 0..1199.
        for (int i = 0; i < 1_200; i++) {
            assertThat(lines.get(1 + i)).startsWith(i + ",");
        }
        assertThat(lines.get(1_201)).startsWith("999,2018-04-04T00:00:00Z,c2,t2,");
        assertThat(lines.get(1_202)).startsWith("1200,2018-04-04T00:00:00Z,c1,t1,");
        FeatureVector first = log.rows.get(0);
        assertThat(lines.get(1).split(",", -1))
                .hasSize(19)
                .startsWith("0", first.getEventTime().toString(), first.getCustomerId())
                .contains(
                        first.getFeatures().get("request:tx_amount").toString(),
                        first.getFeatures().get("terminal_risk:risk_30d").toString());
        assertThat(dir).isDirectoryNotContaining("glob:**.partial");
    }

    private static ProducerRecord<byte[], byte[]> record(
            TopicRegistry topics, String key, byte[] value) {
        return new ProducerRecord<>(
                topics.features().name(), key.getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void aMissingTopicFailsInOneLineAndWritesNothing() {
        Path csv = dir.resolve("features.csv");

        Run dump =
                vigil(
                        "features",
                        "dump",
                        "--out",
                        csv.toString(),
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        "no-such-features");

        assertThat(dump.exitCode()).isEqualTo(1);
        assertThat(dump.err())
                .isEqualTo(
                        "vigil: no topic no-such-features at "
                                + KAFKA.bootstrapServers()
                                + " (--topic-prefix?)\n");
        assertThat(csv).doesNotExist();
    }
}
