package io.vigil.cli;

import static io.vigil.cli.VigilCommandITCase.prefixOf;
import static io.vigil.cli.VigilCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.cli.VigilCommandTest.Run;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaExtension;
import io.vigil.testkit.RedisExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil bench e2e} against a real broker and redis-server, with {@link DecisionLoop} in the
 * scoring job's place: its known delay, drops, duplicates and fallbacks must come out of the
 * measurement exactly.
 */
class BenchE2eCommandITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELAY = Duration.ofMillis(20);

    @TempDir static Path dir;
    private static Path registry;

    @BeforeAll
    static void registerModels() {
        registry = TestRegistry.championAndChallenger(dir.resolve("registry"));
    }

    @Test
    void measuresEachRateEndToEndThenTheFloors() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        Run run;
        try (DecisionLoop loop = new DecisionLoop(KAFKA, REDIS, topics, DELAY)) {
            run =
                    vigil(
                            "bench", "e2e",
                            "--bootstrap", KAFKA.bootstrapServers(),
                            "--topic-prefix", prefixOf(topics),
                            "--rates", "200,400",
                            "--warmup", "500ms",
                            "--initial-warmup", "1s",
                            "--duration", "1s",
                            "--grace", "2s",
                            "--floor-duration", "1s",
                            "--redis-port", Integer.toString(REDIS.port()),
                            "--feast-project", DecisionLoop.PROJECT,
                            "--redis-iterations", "2000",
                            "--onnx-iterations", "2000",
                            "--registry", registry.toString());
        }

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("e2e latency, transaction intended send time -> decision consumed")
                .contains(
                        "floor (a) Kafka alone, produce -> consume on "
                                + prefixOf(topics)
                                + "bench-floor-")
                .contains(
                        "floor (b) Redis: one pipelined HMGET of customer_spending + terminal_risk")
                .contains("floor (c) ONNX: champion fraud 1")
                .contains("floor (c) ONNX: challenger fraud 2")
                .contains("e2e p99 / sum of the floors' p99 (target ≤ 2)")
                .contains("1 s per rate after 500 ms warm-up (1 s before the first rate):");
        assertThat(run.out().indexOf("floor (a) Kafka alone"))
                .as("the Kafka floor runs first, on a quiet stack")
                .isLessThan(run.out().indexOf("e2e latency"));
        List<JsonNode> e2e = lines(run, "e2e");
        assertThat(e2e).hasSize(2);
        for (int i = 0; i < 2; i++) {
            int rate = (i + 1) * 200;
            long warmup = rate / 2;
            long total = warmup + rate;
            JsonNode r = e2e.get(i);
            long expectedMissing = count(warmup, total, DecisionLoop::dropped);
            long answered = rate - expectedMissing;
            assertThat(r.get("rate").asDouble()).isEqualTo(rate);
            assertThat(r.get("sent").asLong()).isEqualTo(rate);
            assertThat(r.get("produce_rate").asDouble()).isCloseTo(rate, within(rate * 0.2));
            assertThat(r.get("missing").asLong()).isEqualTo(expectedMissing);
            assertThat(r.get("responses").asLong()).isEqualTo(answered);
            assertThat(r.get("duplicates").asLong())
                    .isEqualTo(count(warmup, total, DecisionLoop::duplicated));
            long fallbacks =
                    count(warmup, total, s -> DecisionLoop.fallback(s) && !DecisionLoop.dropped(s));
            assertThat(r.get("fallback_share").asDouble())
                    .isCloseTo((double) fallbacks / answered, within(0.001));
            assertThat(r.get("fallback_reasons").get("feature_missing").asLong())
                    .isEqualTo(fallbacks);
            assertThat(r.get("decided_by").get("FALLBACK").asLong()).isEqualTo(fallbacks);
            // Every decision waits the loop's delay after its record's timestamp.
            assertThat(r.get("p50_ms").asDouble()).isGreaterThanOrEqualTo(DELAY.toMillis());
            assertThat(r.get("max_ms").asDouble())
                    .isGreaterThanOrEqualTo(r.get("p99_ms").asDouble());
            assertThat(r.get("queue_p99_ms").asDouble()).isCloseTo(0.4, within(0.001));
            assertThat(r.get("lookup_p99_ms").asDouble()).isCloseTo(0.05, within(0.001));
            assertThat(r.get("inference_p99_ms").asDouble()).isCloseTo(0.03, within(0.001));
        }
        List<JsonNode> kafka = lines(run, "kafka-floor");
        assertThat(kafka).hasSize(2);
        for (JsonNode k : kafka) {
            assertThat(k.get("sent").asLong()).isEqualTo(k.get("rate").asLong());
            assertThat(k.get("missing").asLong()).isZero();
            assertThat(k.get("duplicates").asLong()).isZero();
            assertThat(k.get("queue_p99_ms").isNull()).isTrue();
        }
        JsonNode redis = lines(run, "redis-floor").get(0);
        assertThat(redis.get("lookups").asInt()).isEqualTo(2000);
        assertThat(redis.get("entities").asInt()).isPositive();
        assertThat(redis.get("p99_ms").asDouble()).isPositive();
        List<JsonNode> onnx = lines(run, "onnx-floor");
        assertThat(onnx)
                .extracting(n -> n.get("role").asText())
                .containsExactly("champion", "challenger");
        assertThat(onnx).allSatisfy(n -> assertThat(n.get("p99_ms").asDouble()).isPositive());
        List<JsonNode> ratios = lines(run, "floor-ratio");
        assertThat(ratios).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode f = ratios.get(i);
            double sum =
                    kafka.get(i).get("p99_ms").asDouble()
                            + redis.get("p99_ms").asDouble()
                            + onnx.get(0).get("p99_ms").asDouble()
                            + onnx.get(1).get("p99_ms").asDouble();
            assertThat(f.get("e2e_p99_ms").asDouble())
                    .isEqualTo(e2e.get(i).get("p99_ms").asDouble());
            assertThat(f.get("floor_sum_p99_ms").asDouble()).isCloseTo(sum, within(0.005));
            assertThat(f.get("ratio").asDouble())
                    .isCloseTo(f.get("e2e_p99_ms").asDouble() / sum, within(0.01));
        }
        // The floor's topic is the run's own and is gone afterwards.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get())
                    .noneMatch(t -> t.startsWith(prefixOf(topics) + "bench-floor-"));
        }
    }

    @Test
    void stopsWithOneLineWhenNoDecisionComes() {
        TopicRegistry topics = KAFKA.freshTopics();

        Run run =
                vigil(
                        "bench",
                        "e2e",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic-prefix",
                        prefixOf(topics),
                        "--rates",
                        "100",
                        "--warmup",
                        "0s",
                        "--initial-warmup",
                        "0s",
                        "--duration",
                        "1s",
                        "--grace",
                        "1s",
                        "--no-floors");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines())
                .containsExactly(
                        "vigil: no answer on "
                                + topics.decisions().name()
                                + " to any of the 100 transactions sent to "
                                + topics.transactions().name()
                                + " at 100 tx/s within the 1 s grace period: is the scoring job"
                                + " running? (infra/bin/submit-scoring-job.sh; ./vigil flink list)");
        assertThat(KAFKA.endOffsetTotal(topics.transactions().name())).isEqualTo(100);
    }

    @Test
    void refusesFloorsWithoutAChampionBeforeSendingAnything() throws IOException {
        TopicRegistry topics = KAFKA.freshTopics();
        Path empty = Files.createDirectories(dir.resolve("empty-registry"));

        Run run =
                vigil(
                        "bench", "e2e",
                        "--bootstrap", KAFKA.bootstrapServers(),
                        "--topic-prefix", prefixOf(topics),
                        "--redis-port", Integer.toString(REDIS.port()),
                        "--registry", empty.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines())
                .containsExactly(
                        "vigil: no model in the registry has a champion (register one and give it"
                                + " the champion alias, or run with --no-floors)");
        assertThat(KAFKA.endOffsetTotal(topics.transactions().name())).isZero();
    }

    private static List<JsonNode> lines(Run run, String bench) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String line : run.out().split("\\R")) {
            if (line.startsWith("{")) {
                JsonNode node = JSON.readTree(line);
                if (node.get("bench").asText().equals(bench)) {
                    found.add(node);
                }
            }
        }
        return found;
    }

    private static long count(long from, long to, LongPredicate which) {
        long n = 0;
        for (long seq = from; seq < to; seq++) {
            if (which.test(seq)) {
                n++;
            }
        }
        return n;
    }
}
