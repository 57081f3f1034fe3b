package io.vigil.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.features.redis.FeastRedisReader;
import io.vigil.features.redis.RedisSinkConfig;
import io.vigil.features.state.HistoryConfig;
import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.feast.ProtoTimestampCodec;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.simulator.SimulatorConfig;
import io.vigil.simulator.feed.FeedConfig;
import io.vigil.simulator.feed.FeedSink;
import io.vigil.simulator.feed.LabelPolicy;
import io.vigil.simulator.feed.TimeMode;
import io.vigil.simulator.feed.TransactionFeed;
import io.vigil.simulator.generator.TransactionGenerator;
import io.vigil.simulator.kafka.KafkaTransactionProducer;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import io.vigil.testkit.ThrottledSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * One feature job run in an ITCase: fresh topics and Feast project, simulated input played into
 * Kafka (recorded in {@link ReferenceFeatures}), the job's configuration, and checks of its outputs
 * against the reference. Checks return mismatch descriptions so one assertion reports them all.
 */
final class FeatureJobFixture {

    /** What to mix into the simulated stream. */
    enum Extras {
        /** Nothing: the simulator's transactions and labels. */
        NONE,
        /** Some repeated transactions and fraud labels (dropped) and malformed records. */
        DUPLICATES_AND_MALFORMED,
        /**
         * After the simulation, one more transaction for every customer and terminal, a day later:
         * each entity's Redis row then comes from the end of the stream.
         */
        FINAL_SWEEP
    }

    private static final int DUPLICATE_EVERY = 9_973;

    private final KafkaExtension kafka;
    private final RedisExtension redis;
    private final TopicRegistry topics;
    private final String project;
    private final ReferenceFeatures reference = new ReferenceFeatures();
    private final List<byte[]> malformed = new ArrayList<>();
    private int duplicateTransactions;
    private int duplicateFraudLabels;
    private int fraudLabels;
    private int nonFraudLabels;

    FeatureJobFixture(KafkaExtension kafka, RedisExtension redis) {
        this.kafka = kafka;
        this.redis = redis;
        this.topics = kafka.freshTopics();
        this.project = topics.transactions().name().replace(".transactions", "").replace('.', '_');
    }

    TopicRegistry topics() {
        return topics;
    }

    int duplicateTransactions() {
        return duplicateTransactions;
    }

    int duplicateFraudLabels() {
        return duplicateFraudLabels;
    }

    /** Distinct fraud labels produced. */
    int fraudLabels() {
        return fraudLabels;
    }

    int nonFraudLabels() {
        return nonFraudLabels;
    }

    /** Payloads of the malformed records produced, which must come back as dead letters. */
    List<byte[]> malformed() {
        return malformed;
    }

    /**
     * Plays {@code transactions} simulated transactions (1,000 customers, 2,000 terminals, every
     * transaction labelled 7 days later) into Kafka.
     */
    void produce(int transactions, Extras extras) {
        SimulatorConfig simulation =
                SimulatorConfig.builder()
                        .customers(1_000)
                        .terminals(2_000)
                        .days(120)
                        .seed(11)
                        .build();
        FeedConfig feed =
                new FeedConfig(
                        TimeMode.SIMULATED,
                        0,
                        FeedConfig.HANDBOOK_LABEL_DELAY,
                        LabelPolicy.ALL,
                        transactions);
        Map<String, Object> producerProperties =
                KafkaTransactionProducer.defaultProperties(kafka.bootstrapServers());
        producerProperties.putAll(kafka.harnessSecurity());
        try (KafkaTransactionProducer producer =
                        new KafkaTransactionProducer(
                                producerProperties,
                                topics.transactions().name(),
                                topics.labels().name());
                KafkaProducer<byte[], byte[]> raw = kafka.newProducer()) {
            FeedSink recording = new RecordingSink(producer, raw, extras);
            if (extras == Extras.DUPLICATES_AND_MALFORMED) {
                sendMalformed(raw, topics.labels().name(), new byte[] {0, 1, 2});
            }
            new TransactionFeed(feed).run(new TransactionGenerator(simulation), recording);
            if (extras == Extras.FINAL_SWEEP) {
                sweep(recording);
            }
            producer.flush();
            raw.flush();
        }
        assertThat(reference.size()).isGreaterThanOrEqualTo(transactions);
    }

    /**
     * The job's options for this run: bounded, from the earliest offsets, 1 s checkpoints; {@code
     * overrides} are name/value pairs such as {@code "--checkpoint-interval", "300ms"}.
     */
    FeatureJobConfig config(String... overrides) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--bootstrap-servers", kafka.bootstrapServers());
        options.put("--redis-host", redis.topology().hosts());
        options.put("--redis-cluster", Boolean.toString(redis.isCluster()));
        options.put("--project", project);
        options.put("--transactions-topic", topics.transactions().name());
        options.put("--labels-topic", topics.labels().name());
        options.put("--features-topic", topics.features().name());
        options.put("--dead-letter-topic", topics.deadLetter().name());
        options.put("--group-id", project + "-features");
        options.put("--transactional-id-prefix", project + "-feature-log");
        options.put("--starting-offsets", "earliest");
        options.put("--bounded", "true");
        options.put("--checkpoint-interval", "1s");
        // Bounded splits end instead of idling; a busy test machine must not look idle.
        options.put("--idle-timeout", "1min");
        options.put("--parallelism", Integer.toString(FlinkMiniCluster.SLOTS));
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            options.put(overrides[i], overrides[i + 1]);
        }
        List<String> args = new ArrayList<>();
        options.forEach(
                (name, value) -> {
                    args.add(name);
                    args.add(value);
                });
        return FeatureJobConfig.parse(args.toArray(String[]::new));
    }

    /** The job's environment on the test MiniCluster, with {@code overrides}; Kryo is off. */
    static StreamExecutionEnvironment environment(
            FeatureJobConfig config, Configuration overrides) {
        Configuration conf = FeaturePipeline.flinkConfiguration(config);
        conf.addAll(overrides);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        return env;
    }

    /**
     * The whole job, from the Kafka topics to the feature log and Redis, defined in an {@link
     * #environment} with {@code overrides}.
     */
    static StreamExecutionEnvironment kafkaToRedis(
            FeatureJobConfig config, Configuration overrides) {
        StreamExecutionEnvironment env = environment(config, overrides);
        FeaturePipeline.define(
                env, config, FeatureSources.kafka(config), FeatureSinks.kafkaAndRedis(config));
        return env;
    }

    /**
     * Submits the whole job with {@code overrides}, its online-store writers throttled to {@code
     * rowsPerSecond} each until {@link ThrottledSink#release}{@code (throttle)}: the job lasts
     * while the test does what it does meanwhile. The throttle backpressures the job, so
     * checkpoints are unaligned: aligned barriers would queue behind the input, and the feature
     * log, committed at checkpoints, would hardly commit.
     */
    static JobClient submitThrottled(
            FeatureJobConfig config, Configuration overrides, String throttle, double rowsPerSecond)
            throws Exception {
        Configuration unaligned = new Configuration(overrides);
        unaligned.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        StreamExecutionEnvironment env = environment(config, unaligned);
        FeatureSinks real = FeatureSinks.kafkaAndRedis(config);
        FeaturePipeline.define(
                env,
                config,
                FeatureSources.kafka(config),
                new FeatureSinks(
                        real.featureLog(),
                        ThrottledSink.atMost(throttle, real.onlineStore(), rowsPerSecond),
                        real.deadLetter()));
        return env.executeAsync("throttled " + throttle);
    }

    /** Waits until the running job wrote its first rows to the (single-node) Redis. */
    void awaitFirstRedisRows() {
        try (RedisClient client = RedisClient.create(redis.host(), redis.port())) {
            // The store's reset key is there as soon as the writers open.
            await("rows reach Redis")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> client.dbSize() > 1);
        }
    }

    /** Feature log rows that are missing, repeated or differ from the batch computation. */
    List<String> featureLogMismatches() {
        Map<String, Map<String, Double>> expected = reference.compute();
        AvroSerde<FeatureVector> serde = AvroSerde.of(FeatureVector.class);
        Map<String, FeatureVector> log = new HashMap<>();
        List<String> mismatches = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                kafka.readAll(topics.features().name(), expected.size(), Duration.ofSeconds(30))) {
            FeatureVector v = decode(serde, r);
            if (!new String(r.key(), StandardCharsets.UTF_8).equals(v.getTransactionId())) {
                mismatches.add("record key of " + v.getTransactionId() + " is not its id");
            }
            if (log.put(v.getTransactionId(), v) != null) {
                mismatches.add("second feature vector for " + v.getTransactionId());
            }
        }
        expected.forEach(
                (id, features) -> {
                    FeatureVector vector = log.remove(id);
                    if (vector == null) {
                        mismatches.add("no feature vector for " + id);
                    } else {
                        compare("transaction " + id, vector.getFeatures(), features, mismatches);
                    }
                });
        log.keySet().forEach(id -> mismatches.add("unexpected feature vector for " + id));
        return mismatches;
    }

    /** Entities of both views whose Redis row is not the features of their last transaction. */
    List<String> redisMismatches() {
        return redisMismatches(RedisSinkConfig.of(redis.topology(), project));
    }

    /** {@link #redisMismatches()}, read with the server and credentials of {@code config}. */
    List<String> redisMismatches(RedisSinkConfig config) {
        Map<String, Map<String, Double>> expected = reference.compute();
        List<String> mismatches = new ArrayList<>();
        try (FeastRedisReader reader = new FeastRedisReader(config)) {
            redisMismatches(reader, FeatureViews.CUSTOMER_SPENDING, true, expected, mismatches);
            redisMismatches(reader, FeatureViews.TERMINAL_RISK, false, expected, mismatches);
        }
        return mismatches;
    }

    /**
     * Entities whose history snapshot in Redis is not the one the job must have written last: as of
     * the customer's last transaction, or the terminal's last transaction or applied fraud label,
     * holding exactly the reference's buckets in {@code (asOf − retention − margin, asOf]}; and
     * whose snapshot, where it covers the windows of the entity's Feast row, does not reproduce
     * that row's values. Also a mismatch: no terminal snapshot covering its row.
     */
    List<String> historyMismatches(HistoryConfig history) {
        List<String> mismatches = new ArrayList<>();
        try (UnifiedJedis client =
                RedisSinkConfig.of(redis.topology(), project).newClient("vigil-test-history")) {
            FeastRedisReader reader = new FeastRedisReader(client, project);
            int coveredCustomers =
                    historyMismatches(
                            client, reader, FeatureViews.CUSTOMER_SPENDING, history, mismatches);
            int coveredTerminals =
                    historyMismatches(
                            client, reader, FeatureViews.TERMINAL_RISK, history, mismatches);
            if (coveredCustomers != reference.byEntity(true).size()) {
                mismatches.add(
                        "only "
                                + coveredCustomers
                                + " customer snapshots cover their Feast row: a customer's last"
                                + " write carries both");
            }
            if (coveredTerminals == 0) {
                mismatches.add("no terminal snapshot covers its Feast row");
            }
        }
        return mismatches;
    }

    List<DeadLetter> deadLetters(int expected) {
        AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);
        return kafka.readAll(topics.deadLetter().name(), expected, Duration.ofSeconds(10)).stream()
                .map(r -> decode(serde, r))
                .toList();
    }

    private void redisMismatches(
            FeastRedisReader reader,
            FeatureViewSpec view,
            boolean byCustomer,
            Map<String, Map<String, Double>> expected,
            List<String> mismatches) {
        Map<String, Transaction> last = reference.lastTransactionOf(byCustomer);
        List<String> entities = new ArrayList<>(last.keySet());
        List<Optional<FeatureRow>> rows = reader.read(view, entities);
        for (int i = 0; i < entities.size(); i++) {
            String what = view.name() + " of " + entities.get(i);
            Transaction lastTx = last.get(entities.get(i));
            if (rows.get(i).isEmpty()) {
                mismatches.add(what + ": no row");
                continue;
            }
            FeatureRow row = rows.get(i).get();
            if (row.eventTimeMillis != lastTx.getEventTime().toEpochMilli()) {
                mismatches.add(what + ": event time " + Instant.ofEpochMilli(row.eventTimeMillis));
            }
            Map<String, Double> stored = new HashMap<>();
            for (int k = 0; k < view.featureCount(); k++) {
                stored.put(view.name() + ":" + view.features().get(k).name(), row.values[k]);
            }
            Map<String, Double> want = new HashMap<>(expected.get(lastTx.getTransactionId()));
            want.keySet().removeIf(name -> !name.startsWith(view.name() + ":"));
            compare(what, stored, want, mismatches);
        }
    }

    /** Checks one view's snapshots; returns how many cover their entity's Feast row. */
    private int historyMismatches(
            UnifiedJedis client,
            FeastRedisReader reader,
            FeatureViewSpec view,
            HistoryConfig history,
            List<String> mismatches) {
        boolean customers = view == FeatureViews.CUSTOMER_SPENDING;
        long lag = customers ? 0 : HistoryWindows.TERMINAL_DELAY;
        long retention = lag + HistoryWindows.WIDEST;
        Map<String, List<ReferenceFeatures.Tx>> entities = reference.byEntity(customers);
        List<String> ids = new ArrayList<>(entities.keySet());
        List<Optional<FeatureRow>> rows = reader.read(view, ids);
        int covered = 0;
        for (int i = 0; i < ids.size(); i++) {
            String what = view.name() + " history of " + ids.get(i);
            List<byte[]> stored =
                    client.hmget(
                            view.redisKey(ids.get(i), project),
                            view.historyTimestampField(),
                            view.historyField());
            if (stored.get(0) == null || stored.get(1) == null) {
                mismatches.add(what + ": missing");
                continue;
            }
            WindowHistorySnapshot snapshot = WindowHistoryCodec.decode(stored.get(1));
            long asOf = ProtoTimestampCodec.decode(stored.get(0)).toEpochMilli();
            List<ReferenceFeatures.Tx> txs = entities.get(ids.get(i));
            long expectedAsOf = txs.get(txs.size() - 1).time();
            if (!customers) {
                for (ReferenceFeatures.Tx t : txs) {
                    if (t.fraud()) {
                        expectedAsOf = Math.max(expectedAsOf, t.labelTime());
                    }
                }
            }
            if (asOf != snapshot.asOfMillis() || asOf != expectedAsOf) {
                mismatches.add(
                        what
                                + ": as of "
                                + snapshot.asOfMillis()
                                + " (_vigil_ts "
                                + asOf
                                + "), expected "
                                + expectedAsOf);
                continue;
            }
            WindowHistorySnapshot expected =
                    HistoryWindows.expected(
                            txs, asOf, asOf - retention - history.marginMillis(), customers);
            if (!snapshot.equals(expected)) {
                mismatches.add(what + ": " + snapshot + ", expected " + expected);
                continue;
            }
            FeatureRow row = rows.get(i).orElseThrow();
            long t = row.eventTimeMillis;
            if (t - retention >= snapshot.completeAfterMillis() && t - lag <= asOf) {
                covered++;
                double[] recomputed = HistoryWindows.at(snapshot, t, lag, customers);
                if (!Arrays.equals(recomputed, row.values)) {
                    mismatches.add(
                            what
                                    + ": windows at "
                                    + t
                                    + " from the snapshot "
                                    + Arrays.toString(recomputed)
                                    + ", Feast row "
                                    + Arrays.toString(row.values));
                }
            }
        }
        return covered;
    }

    /** Counts must be equal, averages and ratios within 1e-9. */
    private static void compare(
            String what,
            Map<String, Double> actual,
            Map<String, Double> expected,
            List<String> mismatches) {
        if (!actual.keySet().equals(expected.keySet())) {
            mismatches.add(what + ": features " + new TreeSet<>(actual.keySet()));
            return;
        }
        expected.forEach(
                (name, want) -> {
                    double got = actual.get(name);
                    boolean exact =
                            name.contains(":nb_tx_") || name.startsWith("request:tx_during");
                    if (exact ? got != want : !(Math.abs(got - want) <= 1e-9)) {
                        mismatches.add(what + ": " + name + " = " + got + ", expected " + want);
                    }
                });
    }

    private void sweep(FeedSink sink) {
        List<String> customers = new ArrayList<>(reference.lastTransactionOf(true).keySet());
        List<String> terminals = new ArrayList<>(reference.lastTransactionOf(false).keySet());
        long after = reference.lastEventTime().plus(Duration.ofDays(1)).toEpochMilli();
        for (int i = 0; i < Math.max(customers.size(), terminals.size()); i++) {
            sink.sendTransaction(
                    new Transaction(
                            "sweep-" + i,
                            Instant.ofEpochMilli(after + i * 1_000L),
                            customers.get(i % customers.size()),
                            terminals.get(i % terminals.size()),
                            new Money(1_000L + i, "EUR"),
                            null,
                            null,
                            null));
        }
    }

    private void sendMalformed(KafkaProducer<byte[], byte[]> raw, String topic, byte[] payload) {
        malformed.add(payload);
        raw.send(new ProducerRecord<>(topic, null, payload));
    }

    private static <T extends SpecificRecord> T decode(
            AvroSerde<T> serde, ConsumerRecord<byte[], byte[]> r) {
        try {
            return serde.deserialize(r.topic(), r.partition(), r.offset(), r.value());
        } catch (MalformedRecordException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends to Kafka and records for the reference; adds the requested extras. */
    private final class RecordingSink implements FeedSink {
        private final KafkaTransactionProducer producer;
        private final KafkaProducer<byte[], byte[]> raw;
        private final Extras extras;

        RecordingSink(
                KafkaTransactionProducer producer,
                KafkaProducer<byte[], byte[]> raw,
                Extras extras) {
            this.producer = producer;
            this.raw = raw;
            this.extras = extras;
        }

        @Override
        public void sendTransaction(Transaction tx) {
            producer.sendTransaction(tx);
            reference.transaction(tx);
            if (extras == Extras.DUPLICATES_AND_MALFORMED
                    && reference.size() % DUPLICATE_EVERY == 0) {
                producer.sendTransaction(tx);
                duplicateTransactions++;
                sendMalformed(
                        raw,
                        topics.transactions().name(),
                        ("garbage after " + tx.getTransactionId())
                                .getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void sendLabel(Label label) {
            producer.sendLabel(label);
            reference.label(label);
            if (!label.getIsFraud()) {
                nonFraudLabels++;
            } else if (++fraudLabels % 50 == 0 && extras == Extras.DUPLICATES_AND_MALFORMED) {
                producer.sendLabel(label);
                duplicateFraudLabels++;
            }
        }

        @Override
        public void flush() {
            producer.flush();
        }
    }
}
