package io.vigil.cli;

import static io.vigil.cli.VigilCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCommandTest.Run;
import io.vigil.schemas.Label;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The commands against a real broker, as a user runs them. */
class VigilCommandITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir Path dir;

    @Test
    void simulateProducesTransactionsAndLabelsThatTopicsCountSees() {
        TopicRegistry topics = KAFKA.freshTopics();

        Run simulate =
                vigil(
                        "simulate",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic-prefix",
                        prefixOf(topics),
                        "--customers",
                        "300",
                        "--terminals",
                        "600",
                        "--days",
                        "10",
                        "--max-tx",
                        "1500",
                        "--label-delay",
                        "P1D");
        Run count =
                vigil(
                        "topics", "count",
                        "--bootstrap", KAFKA.bootstrapServers(),
                        "--topic-prefix", prefixOf(topics));

        assertThat(simulate.exitCode()).as(simulate.err()).isZero();
        assertThat(simulate.out())
                .startsWith("produced 1,500 transactions (")
                .contains(
                        "to "
                                + topics.transactions().name()
                                + " and 1,500 labels to "
                                + topics.labels().name());
        assertThat(count.exitCode()).as(count.err()).isZero();
        assertThat(count.out())
                .containsPattern(topics.transactions().name() + " +4 +1,500")
                .containsPattern(topics.labels().name() + " +2 +1,500")
                .containsPattern(topics.decisions().name() + " +4 +0");
    }

    @Test
    void wallClockModeStampsTransactionsWithTheSendTimeAndLabelsAfterTheDelay() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        Instant before = Instant.now();

        Run simulate =
                vigil(
                        "simulate",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic-prefix",
                        prefixOf(topics),
                        "--customers",
                        "100",
                        "--terminals",
                        "200",
                        "--time-mode",
                        "wall-clock",
                        "--rate",
                        "500",
                        "--max-tx",
                        "200",
                        "--label-delay",
                        "300ms");
        Instant after = Instant.now();

        assertThat(simulate.exitCode()).as(simulate.err()).isZero();
        // 200 at 500/s: about 0.4 s, so not all at once.
        assertThat(Duration.between(before, after)).isGreaterThan(Duration.ofMillis(350));
        AvroSerde<Transaction> txSerde = AvroSerde.of(Transaction.class);
        List<Instant> times = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readAll(topics.transactions().name(), 200, Duration.ofSeconds(20))) {
            times.add(decode(txSerde, r).getEventTime());
        }
        assertThat(times).hasSize(200).allSatisfy(t -> assertThat(t).isBetween(before, after));
        // The command waits for the last label to fall due before it exits.
        AvroSerde<Label> labelSerde = AvroSerde.of(Label.class);
        List<Label> labels = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readAll(topics.labels().name(), 200, Duration.ofSeconds(20))) {
            labels.add(decode(labelSerde, r));
        }
        assertThat(labels)
                .hasSize(200)
                .allSatisfy(
                        label -> {
                            assertThat(
                                            Duration.between(
                                                    label.getTxEventTime(), label.getLabelTime()))
                                    .isEqualTo(Duration.ofMillis(300));
                            assertThat(label.getLabelTime()).isBefore(after);
                        });
    }

    @Test
    void replayProducesTheGoodRowsAndReportsTheBadOnesWithLineNumbers() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        Path csv = dir.resolve("handbook.csv");
        Files.writeString(
                csv,
                "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,"
                        + "TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO\n"
                        + "0,2018-04-01 00:00:31,596,3156,57.16,31,0,0,0\n"
                        + "1,2018-04-01 00:02:10,4961,3412,eighty,130,0,0,0\n"
                        + "2,2018-04-01 00:07:56,2,1365,146.0,476,0,1,1\n"
                        + "3,2018-04-09 00:00:00,2,1365,14.00,691200,8,0,0\n",
                StandardCharsets.UTF_8);

        Run replay =
                vigil(
                        "replay", csv.toString(),
                        "--bootstrap", KAFKA.bootstrapServers(),
                        "--topic-prefix", prefixOf(topics));

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.errLines())
                .containsExactly(
                        csv
                                + ":3: TX_AMOUNT must be a non-negative decimal like 57.16, got"
                                + " 'eighty': 1,2018-04-01 00:02:10,4961,3412,eighty,130,0,0,0");
        assertThat(replay.out())
                .contains("produced 3 transactions (1 frauds)")
                .contains("3 labels")
                .contains("read 4 rows of " + csv + ": 1 malformed, skipped");

        AvroSerde<Label> labels = AvroSerde.of(Label.class);
        List<String> labelled = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readAll(topics.labels().name(), 3, Duration.ofSeconds(20))) {
            Label label = decode(labels, r);
            labelled.add(label.getTransactionId() + (label.getIsFraud() ? " fraud" : " legit"));
        }
        assertThat(labelled).containsExactlyInAnyOrder("0 legit", "2 fraud", "3 legit");
    }

    @Test
    void watchPrintsTotalsAndRates() {
        TopicRegistry topics = KAFKA.freshTopics();
        vigil(
                "simulate",
                "--bootstrap",
                KAFKA.bootstrapServers(),
                "--topic-prefix",
                prefixOf(topics),
                "--customers",
                "100",
                "--terminals",
                "200",
                "--max-tx",
                "250",
                "--labels",
                "none");

        Run watch =
                vigil(
                        "watch",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic-prefix",
                        prefixOf(topics),
                        "--samples",
                        "2",
                        "--interval",
                        "200ms");

        assertThat(watch.exitCode()).as(watch.err()).isZero();
        String[] lines = watch.out().split("\\R");
        assertThat(lines).hasSize(2);
        assertThat(lines[0])
                .matches(
                        "\\d\\d:\\d\\d:\\d\\d  "
                                + topics.transactions().name()
                                + "  total 250  rate -");
        assertThat(lines[1]).endsWith("total 250  rate 0/s");
    }

    @Test
    void watchingAMissingTopicFailsClearly() {
        Run watch =
                vigil("watch", "--bootstrap", KAFKA.bootstrapServers(), "--topic", "no-such-topic");

        assertThat(watch.exitCode()).isEqualTo(1);
        assertThat(watch.errLines())
                .containsExactly(
                        "vigil: no topic no-such-topic at "
                                + KAFKA.bootstrapServers()
                                + " (start the stack with ./vigil up, or produce with vigil simulate)");
    }

    @Test
    void benchProducePrintsRateAndLatencyPercentiles() {
        String topic = KAFKA.newTopic("bench", 2);

        Run bench =
                vigil(
                        "bench",
                        "produce",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic",
                        topic,
                        "--count",
                        "20000");

        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out())
                .containsPattern(
                        "produced 20,000 transactions in [0-9.]+ s: [0-9,]+ tx/s, [0-9.]+ MB/s")
                .containsPattern(
                        "produce-ack latency ms: p50 [0-9.]+  p99 [0-9.]+  p99.9 [0-9.]+  max [0-9.]+  \\(20,000 acks\\)");
        assertThat(KAFKA.endOffsetTotal(topic)).isEqualTo(20_000);
    }

    /** The prefix of a fresh registry's topic names, for --topic-prefix. */
    static String prefixOf(TopicRegistry topics) {
        String name = topics.transactions().name();
        return name.substring(0, name.length() - "transactions".length());
    }

    private static <T extends SpecificRecord> T decode(
            AvroSerde<T> serde, ConsumerRecord<byte[], byte[]> r) throws MalformedRecordException {
        return serde.deserialize(r.topic(), r.partition(), r.offset(), r.value());
    }
}
