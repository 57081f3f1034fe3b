package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feature job on the local stack as a user runs it: {@code ./vigil up}, the job submitted to
 * the session cluster by {@code infra/bin/submit-feature-job.sh} (from the shaded jar that {@code
 * mvn install} builds), simulated transactions produced by {@code ./vigil simulate}; then one
 * feature vector per transaction in {@code vigil.features} and one Redis row per customer and
 * terminal. Submitting again finds the running job instead of starting a second one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeatureJobE2ECase {

    @RegisterExtension static final LocalStack STACK = new LocalStack();

    private static final int TRANSACTIONS = 3_000;
    private static final String JOB_NAME = "vigil-feature-jobs";
    private static final String TRANSACTIONS_TOPIC = "vigil.transactions";
    private static final Duration IDLE_TIMEOUT_AND_MORE = Duration.ofSeconds(7);
    private static final Instant SWEEP_TIME = Instant.parse("2018-06-01T00:00:00Z");

    private static String jobId;

    @Test
    @Order(1)
    void theFeatureJobRunsOnTheSessionCluster() throws Exception {
        // The stack home is shared with the other E2E classes: start from empty topics and Redis.
        LocalStack.Result purge = STACK.vigil(Duration.ofMinutes(2), "down", "--purge");
        assertThat(purge.exitCode()).as(purge.output()).isZero();
        LocalStack.Result up = STACK.vigil(Duration.ofMinutes(6), "up");
        assertThat(up.exitCode()).as(up.output()).isZero();

        LocalStack.Result submit = submitFeatureJob();
        assertThat(submit.exitCode()).as(submit.output()).isZero();
        jobId = lastLine(submit.output());
        assertThat(jobId).matches("[0-9a-f]{32}");
        assertThat(jobsOverview()).contains("\"jid\":\"" + jobId + "\"").contains("RUNNING");

        LocalStack.Result again = submitFeatureJob();
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("already active");
        assertThat(lastLine(again.output())).isEqualTo(jobId);
        assertThat(jobsOverview().split("\"name\":\"" + JOB_NAME + "\"", -1)).hasSize(2);
    }

    @Test
    @Order(2)
    void simulatedTransactionsGetFeatureVectorsAndRedisRows() throws Exception {
        // Traffic starts after the job has been without input for longer than its idle timeout (5
        // s),
        // as when a user submits the job first: no transaction may be late for it.
        Thread.sleep(IDLE_TIMEOUT_AND_MORE.toMillis());
        LocalStack.Result simulate =
                STACK.vigil(
                        Duration.ofMinutes(2),
                        "simulate",
                        "--bootstrap",
                        STACK.kafkaBootstrap(),
                        "--customers",
                        "300",
                        "--terminals",
                        "600",
                        "--days",
                        "10",
                        "--max-tx",
                        Integer.toString(TRANSACTIONS));
        assertThat(simulate.exitCode()).as(simulate.output()).isZero();
        sweepEveryTransactionsPartition();

        List<FeatureVector> vectors = readFeatureLog(Duration.ofSeconds(90));
        Set<String> ids = new HashSet<>();
        Set<String> customers = new HashSet<>();
        Set<String> terminals = new HashSet<>();
        for (FeatureVector v : vectors) {
            ids.add(v.getTransactionId());
            customers.add(v.getCustomerId());
            terminals.add(v.getTerminalId());
            assertThat(v.getFeatures())
                    .containsKeys("customer_spending:nb_tx_7d", "terminal_risk:risk_7d");
        }
        assertThat(vectors).hasSize(TRANSACTIONS);
        assertThat(ids).hasSize(TRANSACTIONS);
        // One Redis hash per customer (customer_spending) and per terminal (terminal_risk), and the
        // store's reset key (OnlineStoreReset).
        assertThat(redisDbSize()).isEqualTo(customers.size() + terminals.size() + 1);
        assertThat(jobsOverview()).contains("\"jid\":\"" + jobId + "\"").contains("RUNNING");
    }

    /** Leaves no topics or rows behind for the next E2E class on the shared stack home. */
    @AfterAll
    static void purgeStack() throws Exception {
        LocalStack.Result purge = STACK.vigil(Duration.ofMinutes(2), "down", "--purge");
        assertThat(purge.exitCode()).as(purge.output()).isZero();
    }

    /**
     * One transaction per transactions partition, weeks after the simulation: a transaction's
     * features are emitted once every partition has passed its event time, which later traffic does
     * in production; these sweep transactions' own features then wait in turn.
     */
    private static void sweepEveryTransactionsPartition() throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafkaBootstrap());
        AvroSerde<Transaction> serde = AvroSerde.of(Transaction.class);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            int partitions = producer.partitionsFor(TRANSACTIONS_TOPIC).size();
            for (int p = 0; p < partitions; p++) {
                String id = "sweep-" + p;
                Transaction tx =
                        new Transaction(
                                id, SWEEP_TIME, id, id, new Money(100L, "EUR"), null, null, null);
                producer.send(
                                new ProducerRecord<>(
                                        TRANSACTIONS_TOPIC,
                                        p,
                                        id.getBytes(StandardCharsets.UTF_8),
                                        serde.serialize(tx)))
                        .get();
            }
        }
    }

    /** {@code infra/bin/submit-feature-job.sh} with this stack's settings; 2 s checkpoints. */
    private static LocalStack.Result submitFeatureJob() throws IOException, InterruptedException {
        return STACK.run(
                Duration.ofMinutes(2),
                Map.of("VIGIL_FEATURE_CHECKPOINT_INTERVAL", "2s"),
                "infra/bin/submit-feature-job.sh");
    }

    /** Committed feature vectors, read until {@link #TRANSACTIONS} came or the time is up. */
    private static List<FeatureVector> readFeatureLog(Duration timeout) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafkaBootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        AvroSerde<FeatureVector> serde = AvroSerde.of(FeatureVector.class);
        List<FeatureVector> vectors = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor("vigil.features").stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (vectors.size() < TRANSACTIONS && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    vectors.add(decode(serde, r));
                }
            }
            // Anything beyond the expected count would be a repeat: give it a moment to show.
            consumer.poll(Duration.ofSeconds(3)).forEach(r -> vectors.add(decode(serde, r)));
        }
        return vectors;
    }

    private static FeatureVector decode(
            AvroSerde<FeatureVector> serde, ConsumerRecord<byte[], byte[]> r) {
        try {
            return serde.deserialize(r.topic(), r.partition(), r.offset(), r.value());
        } catch (MalformedRecordException e) {
            throw new AssertionError(e);
        }
    }

    /** DBSIZE over RESP on a plain socket: no Redis client on this module's classpath. */
    private static long redisDbSize() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", STACK.port("VIGIL_REDIS_PORT"))) {
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$6\r\nDBSIZE\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            for (int c = in.read(); c != '\n' && c != -1; c = in.read()) {
                reply.append((char) c);
            }
            assertThat(reply.toString()).as("DBSIZE reply").matches(":\\d+\r");
            return Long.parseLong(reply.substring(1, reply.length() - 1));
        }
    }

    private static String jobsOverview() throws IOException, InterruptedException {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + STACK.port(
                                                                        "VIGIL_FLINK_REST_PORT")
                                                                + "/jobs/overview"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
