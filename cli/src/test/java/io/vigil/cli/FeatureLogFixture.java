package io.vigil.cli;

import io.vigil.models.FeatureCatalog;
import io.vigil.models.InputSignature;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.dataset.TrainingSetBuilder;
import io.vigil.trainer.linear.LogisticRegressionModel;
import io.vigil.trainer.linear.LogisticRegressionTrainer;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A small simulated feature log, built directly as {@link FeatureVector}s (no Flink): {@code days}
 * days from 2018-04-01 of transactions numbered in time order, the 15 v1 features with a learnable
 * fraud signal (frauds are often large amounts or on risky terminals), and one label per
 * transaction arriving seven days later, as the simulator sends them.
 */
final class FeatureLogFixture {

    static final Instant START = Instant.parse("2018-04-01T00:00:00Z");
    static final Duration LABEL_DELAY = Duration.ofDays(7);
    static final InputSignature SIGNATURE = FeatureCatalog.v1().defaultSignature("features");
    static final Map<String, Integer> VIEW_VERSIONS =
            Map.of("customer_spending", 1, "terminal_risk", 1);

    final List<FeatureVector> rows = new ArrayList<>();
    final List<Label> labels = new ArrayList<>();

    /** {@code perDay} transactions a day, about 5 % fraud, fixed seed. */
    FeatureLogFixture(int days, int perDay) {
        Random random = new Random(7);
        long step = Duration.ofDays(1).toMillis() / perDay;
        int id = 0;
        for (int d = 0; d < days; d++) {
            for (int i = 0; i < perDay; i++) {
                Instant t = START.plusMillis(d * Duration.ofDays(1).toMillis() + i * step);
                boolean fraud = random.nextDouble() < 0.05;
                String customer = "c" + random.nextInt(150);
                String terminal = "t" + random.nextInt(80);
                rows.add(vector(Integer.toString(id), t, customer, terminal, fraud, random));
                labels.add(
                        Label.newBuilder()
                                .setTransactionId(Integer.toString(id))
                                .setCustomerId(customer)
                                .setTerminalId(terminal)
                                .setTxEventTime(t)
                                .setLabelTime(t.plus(LABEL_DELAY))
                                .setIsFraud(fraud)
                                .setSource(LabelSource.SIMULATOR)
                                .build());
                id++;
            }
        }
    }

    static FeatureVector vector(
            String id, Instant t, String customer, String terminal, boolean fraud, Random r) {
        ZonedDateTime utc = t.atZone(ZoneOffset.UTC);
        Map<String, Double> f = new HashMap<>();
        // Overlapping classes, so the metrics are informative: some frauds look ordinary, some
        // legitimate transactions are large or on risky terminals.
        double amount =
                (fraud && r.nextDouble() < 0.5) || r.nextDouble() < 0.03
                        ? 150 + 300 * r.nextDouble()
                        : 5 + 145 * r.nextDouble();
        boolean riskyTerminal = fraud ? r.nextDouble() < 0.6 : r.nextDouble() < 0.05;
        f.put("request:tx_amount", Math.round(amount * 100) / 100.0);
        f.put(
                "request:tx_during_weekend",
                utc.getDayOfWeek() == DayOfWeek.SATURDAY || utc.getDayOfWeek() == DayOfWeek.SUNDAY
                        ? 1.0
                        : 0.0);
        f.put("request:tx_during_night", utc.getHour() <= 6 ? 1.0 : 0.0);
        for (int w : new int[] {1, 7, 30}) {
            double count = 1 + r.nextInt(3 * w);
            f.put("customer_spending:nb_tx_" + w + "d", count);
            f.put("customer_spending:avg_amount_" + w + "d", 20 + 80 * r.nextDouble());
            f.put("terminal_risk:nb_tx_" + w + "d", (double) r.nextInt(5 * w));
            double risk = riskyTerminal ? 0.3 + 0.5 * r.nextDouble() : 0.1 * r.nextDouble();
            f.put("terminal_risk:risk_" + w + "d", risk);
        }
        return FeatureVector.newBuilder()
                .setTransactionId(id)
                .setEventTime(t)
                .setCustomerId(customer)
                .setTerminalId(terminal)
                .setFeatures(f)
                .setFeatureViewVersions(VIEW_VERSIONS)
                .setComputedAt(t)
                .build();
    }

    /**
     * Writes the feature log in Kafka transactions, as the feature job does (so the topic holds
     * transaction markers), rows spread over partitions by transaction id; then the labels.
     */
    void produce(Properties producerProperties, TopicRegistry topics) {
        Properties tx = new Properties();
        tx.putAll(producerProperties);
        tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fixture-" + UUID.randomUUID());
        AvroSerde<FeatureVector> features = AvroSerde.of(FeatureVector.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(tx)) {
            producer.initTransactions();
            for (int from = 0; from < rows.size(); from += 1_000) {
                producer.beginTransaction();
                for (FeatureVector v : rows.subList(from, Math.min(rows.size(), from + 1_000))) {
                    producer.send(
                            new ProducerRecord<>(
                                    topics.features().name(),
                                    key(v.getTransactionId()),
                                    features.serialize(v)));
                }
                producer.commitTransaction();
            }
        }
        AvroSerde<Label> labelSerde = AvroSerde.of(Label.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties)) {
            for (Label l : labels) {
                producer.send(
                        new ProducerRecord<>(
                                topics.labels().name(),
                                key(l.getTransactionId()),
                                labelSerde.serialize(l)));
            }
            producer.flush();
        }
    }

    /** A logistic regression fitted on the first two weeks, exported to ONNX. */
    byte[] onnxModel() {
        TrainingSet set =
                new TrainingSetBuilder(SIGNATURE, LABEL_DELAY)
                        .build(
                                rows,
                                labels,
                                START,
                                START.plus(Duration.ofDays(14)),
                                START.plus(Duration.ofDays(21)));
        try (LogisticRegressionModel model = new LogisticRegressionTrainer(1e-3, true).fit(set)) {
            return model.toOnnx(SIGNATURE);
        }
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
