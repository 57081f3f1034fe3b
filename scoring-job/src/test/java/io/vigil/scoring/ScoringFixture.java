package io.vigil.scoring;

import static org.awaitility.Awaitility.await;

import io.vigil.features.FeatureJobConfig;
import io.vigil.features.FeaturePipeline;
import io.vigil.features.FeatureSinks;
import io.vigil.features.FeatureSources;
import io.vigil.features.redis.RedisSinkConfig;
import io.vigil.models.ModelMetadata;
import io.vigil.models.TestModels;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.KafkaModelEventPublisher;
import io.vigil.models.registry.ModelEventsConfig;
import io.vigil.schemas.Decision;
import io.vigil.schemas.Label;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.simulator.SimulatorConfig;
import io.vigil.simulator.feed.FeedConfig;
import io.vigil.simulator.feed.FeedSink;
import io.vigil.simulator.feed.TransactionFeed;
import io.vigil.simulator.generator.TransactionGenerator;
import io.vigil.simulator.kafka.KafkaTransactionProducer;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import redis.clients.jedis.UnifiedJedis;

/**
 * The scoring job's ITCases share this: fresh topics and Feast project, simulated traffic recorded
 * then played into Kafka in parts, the feature job run to completion, a model registry publishing
 * to the test's model-events topic, and the scoring job started and stopped on the MiniCluster. Its
 * own Kafka clients authenticate as {@link KafkaExtension#harnessSecurity()} says.
 */
final class ScoringFixture implements AutoCloseable {

    static final Attribution BY = new Attribution("it", "scoring ITCase");

    final KafkaExtension kafka;
    final RedisExtension redis;
    final TopicRegistry topics;
    final String project;
    final FileSystemModelRegistry registry;
    private final KafkaModelEventPublisher publisher;
    private final AvroSerde<Decision> decisions = AvroSerde.of(Decision.class);

    ScoringFixture(KafkaExtension kafka, RedisExtension redis, Path registryRoot) {
        this.kafka = kafka;
        this.redis = redis;
        this.topics = kafka.freshTopics();
        this.project = topics.transactions().name().replace(".transactions", "").replace('.', '_');
        this.publisher =
                new KafkaModelEventPublisher(
                        new ModelEventsConfig(
                                kafka.bootstrapServers(),
                                topics.modelEvents().name(),
                                Duration.ofSeconds(30),
                                kafka.harnessSecurity()));
        this.registry = FileSystemModelRegistry.open(registryRoot, publisher);
    }

    /** A simulation's transactions and labels (every transaction labelled 7 days later). */
    record Traffic(List<Transaction> transactions, List<Label> labels) {}

    static Traffic simulate(int customers, int terminals, int days, long seed) {
        List<Transaction> txs = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        FeedSink recorder =
                new FeedSink() {
                    @Override
                    public void sendTransaction(Transaction tx) {
                        txs.add(tx);
                    }

                    @Override
                    public void sendLabel(Label label) {
                        labels.add(label);
                    }

                    @Override
                    public void flush() {}
                };
        SimulatorConfig simulation =
                SimulatorConfig.builder()
                        .customers(customers)
                        .terminals(terminals)
                        .days(days)
                        .seed(seed)
                        .build();
        new TransactionFeed(FeedConfig.simulatedDefaults())
                .run(new TransactionGenerator(simulation), recorder);
        return new Traffic(txs, labels);
    }

    void produce(List<Transaction> txs, List<Label> labels) {
        Map<String, Object> properties =
                KafkaTransactionProducer.defaultProperties(kafka.bootstrapServers());
        properties.putAll(kafka.harnessSecurity());
        try (KafkaTransactionProducer producer =
                new KafkaTransactionProducer(
                        properties, topics.transactions().name(), topics.labels().name())) {
            txs.forEach(producer::sendTransaction);
            labels.forEach(producer::sendLabel);
            producer.flush();
        }
    }

    /** Runs the feature job over everything in the topics so far, to the end. */
    void runFeatureJob() throws Exception {
        FeatureJobConfig config =
                FeatureJobConfig.parse(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--redis-host",
                        redis.topology().hosts(),
                        "--redis-cluster",
                        Boolean.toString(redis.isCluster()),
                        "--project",
                        project,
                        "--transactions-topic",
                        topics.transactions().name(),
                        "--labels-topic",
                        topics.labels().name(),
                        "--features-topic",
                        topics.features().name(),
                        "--dead-letter-topic",
                        topics.deadLetter().name(),
                        "--group-id",
                        project + "-features",
                        "--starting-offsets",
                        "earliest",
                        "--bounded",
                        "--feature-log-delivery",
                        "at-least-once",
                        "--idle-timeout",
                        "1min",
                        "--parallelism",
                        Integer.toString(FlinkMiniCluster.SLOTS));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        FeaturePipeline.flinkConfiguration(config));
        FeaturePipeline.define(
                env, config, FeatureSources.kafka(config), FeatureSinks.kafkaAndRedis(config));
        env.execute("feature job " + project);
    }

    /** The scoring job's options for this test; {@code overrides} are name/value pairs. */
    ScoringJobConfig scoringConfig(String... overrides) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--bootstrap-servers", kafka.bootstrapServers());
        options.put("--redis-host", redis.topology().hosts());
        if (redis.isCluster()) {
            options.put("--redis-cluster", null);
        }
        options.put("--project", project);
        options.put("--transactions-topic", topics.transactions().name());
        options.put("--labels-topic", topics.labels().name());
        options.put("--model-events-topic", topics.modelEvents().name());
        options.put("--decisions-topic", topics.decisions().name());
        options.put("--dead-letter-topic", topics.deadLetter().name());
        options.put("--group-id", project + "-scoring");
        options.put("--starting-offsets", "committed");
        options.put("--checkpoint-interval", "1s");
        options.put("--parallelism", Integer.toString(FlinkMiniCluster.SLOTS));
        options.put("--metrics-host", "127.0.0.1");
        options.put("--metrics-port", "0");
        // Generous lookup timeouts: a busy test machine must not look like a Redis outage.
        options.put("--redis-timeout", "2s");
        options.put("--async-timeout", "5s");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            options.put(overrides[i], overrides[i + 1]);
        }
        List<String> args = new ArrayList<>();
        // A null value is a flag.
        options.forEach(
                (k, v) -> {
                    args.add(k);
                    if (v != null) {
                        args.add(v);
                    }
                });
        return ScoringJobConfig.parse(args.toArray(String[]::new));
    }

    /** Makes the scoring job start after everything now in the transactions topic. */
    void skipExistingTransactions(ScoringJobConfig config) throws Exception {
        Map<String, Object> properties = new HashMap<>(kafka.harnessSecurity());
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(properties)) {
            String topic = config.topics().transactions();
            int partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(config.groupId(), offsets).all().get();
        }
    }

    /** Writes the store's reset key as a feature job started without state does. */
    void markStoreBuiltFromTheStart() {
        try (UnifiedJedis client =
                RedisSinkConfig.of(redis.topology(), project).newClient("vigil-test-seed")) {
            client.set(
                    OnlineStoreReset.key(project),
                    Long.toString(OnlineStoreReset.NEVER).getBytes(StandardCharsets.US_ASCII));
        }
    }

    JobClient startScoring(ScoringJobConfig config) throws Exception {
        return startScoring(config, new Configuration(), sinks -> sinks);
    }

    /** The job with the Flink settings {@code overrides}, writing to {@code wrap}'s sinks. */
    JobClient startScoring(
            ScoringJobConfig config, Configuration overrides, UnaryOperator<ScoringSinks> wrap)
            throws Exception {
        Configuration settings = ScoringPipeline.flinkConfiguration(config);
        settings.addAll(overrides);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings);
        ScoringPipeline.define(
                env, config, ScoringSources.kafka(config), wrap.apply(ScoringSinks.kafka(config)));
        return env.executeAsync("scoring job " + project);
    }

    /** Cancels {@code job} (if it still runs) and waits until its tasks are gone. */
    static void cancel(JobClient job) throws Exception {
        if (!job.getJobStatus().get().isTerminalState()) {
            job.cancel().get();
        }
        await("job " + job.getJobID() + " cancelled")
                .atMost(Duration.ofSeconds(30))
                .until(() -> job.getJobStatus().get().isTerminalState());
    }

    /** Registers a 15-input logistic model {@code version} (weights, bias) of model "fraud". */
    ModelMetadata register(String version, float[] weights, float bias) {
        ModelMetadata draft = TestModels.draft("fraud", version, TestModels.Output.PAIRS);
        return registry.register(
                draft, TestModels.logistic(weights, bias, TestModels.Output.PAIRS), BY);
    }

    /** Waits until {@code value} reaches {@code target}. */
    static void awaitAtLeast(String what, DoubleSupplier value, double target, Duration timeout) {
        await(what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> value.getAsDouble() >= target);
    }

    /** The process's scoring metrics while a job runs (the test holds a reference). */
    static ScoringMetrics metrics() {
        return ScoringMetrics.acquire("127.0.0.1", 0);
    }

    /** How many decisions the topic holds now. */
    int decisionsWritten() {
        return Math.toIntExact(kafka.endOffsetTotal(topics.decisions().name()));
    }

    /** Every decision on the topic, in topic order, waiting for at least {@code expected}. */
    List<Decision> decisions(int expected, Duration timeout) throws Exception {
        List<Decision> out = new ArrayList<>();
        for (var r : kafka.readAll(topics.decisions().name(), expected, timeout)) {
            out.add(decisions.deserialize(r.topic(), r.partition(), r.offset(), r.value()));
        }
        return out;
    }

    @Override
    public void close() {
        publisher.close();
    }
}
