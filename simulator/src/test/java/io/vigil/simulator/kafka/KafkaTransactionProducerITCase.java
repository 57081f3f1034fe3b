package io.vigil.simulator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.simulator.SimulatedTransaction;
import io.vigil.simulator.SimulatorConfig;
import io.vigil.simulator.feed.FeedConfig;
import io.vigil.simulator.feed.LabelPolicy;
import io.vigil.simulator.feed.TimeMode;
import io.vigil.simulator.feed.TransactionFeed;
import io.vigil.simulator.generator.TransactionGenerator;
import io.vigil.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Simulated transactions and labels through a real broker and back. */
class KafkaTransactionProducerITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final int TRANSACTIONS = 3_000;
    private static final Duration LABEL_DELAY = Duration.ofHours(12);
    private static final SimulatorConfig SIMULATION =
            SimulatorConfig.builder().customers(500).terminals(1_000).days(10).seed(5).build();

    private final AvroSerde<Transaction> txSerde = AvroSerde.of(Transaction.class);
    private final AvroSerde<Label> labelSerde = AvroSerde.of(Label.class);

    @Test
    void producesTransactionsAndTheirLabelsInEventTimeOrder() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        String txTopic = topics.transactions().name();
        String labelTopic = topics.labels().name();
        FeedConfig feedConfig =
                new FeedConfig(TimeMode.SIMULATED, 0, LABEL_DELAY, LabelPolicy.ALL, TRANSACTIONS);

        TransactionFeed.Result result;
        Histogram latency;
        try (KafkaTransactionProducer producer =
                new KafkaTransactionProducer(
                        KafkaTransactionProducer.defaultProperties(KAFKA.bootstrapServers()),
                        txTopic,
                        labelTopic)) {
            result =
                    new TransactionFeed(feedConfig)
                            .run(new TransactionGenerator(SIMULATION), producer);
            assertThat(producer.acknowledged()).isEqualTo(2L * TRANSACTIONS);
            latency = producer.ackLatencyMicros();
        }

        assertThat(result.transactions()).isEqualTo(TRANSACTIONS);
        assertThat(result.labels()).isEqualTo(TRANSACTIONS);
        assertThat(latency.getTotalCount()).isEqualTo(2L * TRANSACTIONS);

        List<SimulatedTransaction> expected = new ArrayList<>();
        TransactionGenerator generator = new TransactionGenerator(SIMULATION);
        for (int i = 0; i < TRANSACTIONS; i++) {
            expected.add(generator.next());
        }
        Map<String, SimulatedTransaction> byId =
                expected.stream().collect(Collectors.toMap(t -> t.tx().getTransactionId(), t -> t));

        List<ConsumerRecord<byte[], byte[]>> txRecords =
                KAFKA.readAll(txTopic, TRANSACTIONS, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> labelRecords =
                KAFKA.readAll(labelTopic, TRANSACTIONS, Duration.ofSeconds(30));
        assertThat(txRecords).hasSize(TRANSACTIONS);
        assertThat(labelRecords).hasSize(TRANSACTIONS);
        assertThat(KAFKA.endOffsetTotal(txTopic)).isEqualTo(TRANSACTIONS);
        assertThat(KAFKA.endOffsetTotal(labelTopic)).isEqualTo(TRANSACTIONS);

        Map<String, Long> txSendTime = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : txRecords) {
            Transaction tx = decode(txSerde, record);
            assertThat(key(record)).isEqualTo(tx.getCustomerId());
            assertThat(tx).isEqualTo(byId.get(tx.getTransactionId()).tx());
            txSendTime.put(tx.getTransactionId(), record.timestamp());
        }
        assertThat(txSendTime).hasSize(TRANSACTIONS);

        for (ConsumerRecord<byte[], byte[]> record : labelRecords) {
            Label label = decode(labelSerde, record);
            SimulatedTransaction labelled = byId.get(label.getTransactionId());
            assertThat(key(record)).isEqualTo(label.getTransactionId());
            assertThat(label.getIsFraud()).isEqualTo(labelled.fraud());
            assertThat(label.getSource()).isEqualTo(LabelSource.SIMULATOR);
            assertThat(label.getTxEventTime()).isEqualTo(labelled.tx().getEventTime());
            assertThat(label.getLabelTime())
                    .isEqualTo(labelled.tx().getEventTime().plus(LABEL_DELAY));
            // Sent after its transaction, and before the first transaction past its label time.
            assertThat(record.timestamp())
                    .isGreaterThanOrEqualTo(txSendTime.get(label.getTransactionId()));
            expected.stream()
                    .filter(t -> !t.tx().getEventTime().isBefore(label.getLabelTime()))
                    .findFirst()
                    .ifPresent(
                            next ->
                                    assertThat(record.timestamp())
                                            .isLessThanOrEqualTo(
                                                    txSendTime.get(next.tx().getTransactionId())));
        }
        assertOrderedWithinPartitions(labelRecords, labelSerde, Label::getLabelTime);
        assertOrderedWithinPartitions(txRecords, txSerde, Transaction::getEventTime);
        assertThat(expected).anyMatch(SimulatedTransaction::fraud);
    }

    @Test
    void aRecordTheBrokerRefusesFailsTheRunWithTheReason() {
        TopicRegistry topics = KAFKA.freshTopics();
        Map<String, Object> props =
                KafkaTransactionProducer.defaultProperties(KAFKA.bootstrapServers());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64);

        try (KafkaTransactionProducer producer =
                new KafkaTransactionProducer(
                        props, topics.transactions().name(), topics.labels().name())) {
            producer.sendTransaction(new TransactionGenerator(SIMULATION).next().tx());

            assertThatThrownBy(producer::flush)
                    .isInstanceOf(ProduceException.class)
                    .hasMessageStartingWith(
                            "producing to " + topics.transactions().name() + " failed: ")
                    .hasMessageContaining("larger than 64");
            assertThat(producer.acknowledged()).isZero();
        }
    }

    private static <T extends SpecificRecord> void assertOrderedWithinPartitions(
            List<ConsumerRecord<byte[], byte[]>> records,
            AvroSerde<T> serde,
            Function<T, Instant> time) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition =
                records.stream().collect(Collectors.groupingBy(ConsumerRecord::partition));
        byPartition
                .values()
                .forEach(
                        partition -> {
                            List<Instant> times =
                                    partition.stream()
                                            .sorted(
                                                    Comparator.comparingLong(
                                                            ConsumerRecord::offset))
                                            .map(r -> time.apply(decode(serde, r)))
                                            .toList();
                            assertThat(times).isSorted();
                        });
    }

    private static <T extends SpecificRecord> T decode(
            AvroSerde<T> serde, ConsumerRecord<byte[], byte[]> record) {
        try {
            return serde.deserialize(
                    record.topic(), record.partition(), record.offset(), record.value());
        } catch (MalformedRecordException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }
}
