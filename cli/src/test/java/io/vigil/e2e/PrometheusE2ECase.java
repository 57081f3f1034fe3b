package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.e2e.PrometheusExpressions.Expression;
import io.vigil.e2e.PrometheusExpressions.Rule;
import io.vigil.models.DistributionProfile;
import io.vigil.models.FeatureCatalog;
import io.vigil.models.InputSignature;
import io.vigil.models.ReferenceProfile;
import io.vigil.models.registry.RegistryJson;
import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.trainer.linear.LogisticRegressionModel;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observability on the local stack as a user runs it: {@code ./vigil up} starts Prometheus with the
 * repository's rules; the feature job and the scoring job are submitted by their scripts;
 * transactions arrive before any model (fallbacks), a malformed one (dead letters), then a champion
 * and a shadow challenger are registered, a corrupted version is refused (a failed swap) and
 * simulated traffic follows; the drift job, the review queue and the retrainer (started by {@code
 * up}) then run the retrain loop on it, and the rollback guard undoes a bad promotion. Then every
 * query of every dashboard, every recording rule (its expression and the series it records) and
 * every alert's signal (its expression without the threshold) must return data from the real
 * Prometheus, and {@code ./vigil down} stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusE2ECase {

    @RegisterExtension static final LocalStack STACK = new LocalStack();

    private static final Pattern PROMETHEUS_LINE =
            Pattern.compile(
                    "prometheus http://127\\.0\\.0\\.1:(\\d+) \\(.*scoring job on :(\\d+)\\)");
    private static final String MODEL = "fraud";
    private static final String METADATA =
            "{\"training_window\": {\"from\": \"2018-04-01T00:00:00Z\", \"to\":"
                    + " \"2018-05-01T00:00:00Z\"}, \"label_cutoff\": \"2018-05-08T00:00:00Z\","
                    + " \"reference_profile\": "
                    + RegistryJson.line(uniformProfile())
                    + "}";
    private static final int BEFORE_CHAMPION = 300;
    private static final int SIMULATED = 2_000;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static int prometheusPort;
    private static int scoringMetricsPort;

    @Test
    @Order(1)
    void upStartsPrometheusWithEveryRule() throws Exception {
        // The stack home is shared with the other E2E classes: start from empty topics, data and
        // model registry (down --purge keeps the registry).
        LocalStack.Result purge = STACK.vigil(Duration.ofMinutes(2), "down", "--purge");
        assertThat(purge.exitCode()).as(purge.output()).isZero();
        deleteRegistry();
        LocalStack.Result up = STACK.vigil(Duration.ofMinutes(6), "up");
        assertThat(up.exitCode()).as(up.output()).isZero();
        Matcher ports = PROMETHEUS_LINE.matcher(up.output());
        assertThat(ports.find()).as(up.output()).isTrue();
        prometheusPort = Integer.parseInt(ports.group(1));
        scoringMetricsPort = Integer.parseInt(ports.group(2));
        assertThat(prometheusPort).isEqualTo(STACK.port("VIGIL_PROMETHEUS_PORT"));
        assertThat(scoringMetricsPort).isEqualTo(STACK.port("VIGIL_SCORING_METRICS_PORT"));

        LocalStack.Result status = STACK.vigil(Duration.ofMinutes(1), "status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output())
                .containsPattern("(?m)^prometheus\\s+\\d+\\s+" + prometheusPort + "\\s+UP");

        List<String> loaded = new ArrayList<>();
        for (JsonNode group : api("/api/v1/rules").at("/data/groups")) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("health").asText()).as(rule.toString()).isNotEqualTo("err");
                loaded.add(rule.path("name").asText());
            }
        }
        assertThat(loaded)
                .containsExactlyInAnyOrderElementsOf(
                        PrometheusExpressions.rules().stream().map(Rule::name).toList());
    }

    @Test
    @Order(2)
    void jobsRunWithAChampionAndAShadowChallenger(@TempDir Path models) throws Exception {
        LocalStack.Result features = script("infra/bin/submit-feature-job.sh");
        assertThat(features.exitCode()).as(features.output()).isZero();
        LocalStack.Result scoring = script("infra/bin/submit-scoring-job.sh");
        assertThat(scoring.exitCode()).as(scoring.output()).isZero();
        awaitValue("max(up{job=\"vigil-scoring\"})", v -> v == 1);

        // No model yet: every decision is a fallback. One record is not a transaction at all.
        produceTransactionsAndOneMalformedRecord();
        awaitValue("sum(vigil_decisions_total)", v -> v >= BEFORE_CHAMPION);

        register(models, "1", 0.02, -3.0);
        register(models, "2", 0.025, -3.5);
        vigil("model", "alias", MODEL, "1", "--as", "champion");
        vigil("model", "alias", MODEL, "2", "--as", "challenger", "--mode", "shadow");
        awaitValue("count(vigil_model_info{role=~\"champion|challenger\"})", v -> v == 2);

        // A version whose file changed on disk after registration: refused, version 2 stays.
        Path corrupted = register(models, "3", 0.03, -4.0);
        corrupted.toFile().setWritable(true);
        Files.write(corrupted, new byte[] {1, 2, 3});
        vigil("model", "alias", MODEL, "3", "--as", "challenger", "--mode", "shadow");
        awaitValue("sum(vigil_model_swaps_total{outcome=\"failed\"})", v -> v >= 1);
        awaitValue("count(vigil_model_info{role=\"challenger\",version=\"2\"})", v -> v == 1);

        simulate(SIMULATED);
        awaitValue("sum(vigil_decisions_total)", v -> v >= BEFORE_CHAMPION + SIMULATED);
        awaitValue("sum(vigil_model_score_count{role=\"challenger\"})", v -> v > 0);
    }

    /**
     * The retrain loop on the same traffic: the drift job finds drift against the registered
     * profile, the review queue lists the alerts, an approval through {@code vigil review approve}
     * becomes a retrain request, and the retrainer handles it (here it refuses: the default window
     * ends a week before today, where this stack has no feature log).
     */
    @Test
    @Order(3)
    void driftAlertsReachTheReviewQueueAndAnApprovalTheRetrainer() throws Exception {
        LocalStack.Result drift =
                STACK.run(
                        Duration.ofMinutes(3),
                        Map.of(),
                        "infra/bin/submit-drift-job.sh",
                        "--window",
                        "2s",
                        "--max-out-of-orderness",
                        "500ms",
                        "--min-samples",
                        "100",
                        "--checkpoint-interval",
                        "2s");
        assertThat(drift.exitCode()).as(drift.output()).isZero();
        awaitValue("sum(vigil_drift_alerts_total)", v -> v > 0);
        awaitValue("sum(vigil_reviews_pending)", v -> v > 0);

        String reviews = "http://127.0.0.1:" + STACK.port("VIGIL_REVIEW_PORT");
        JsonNode pending =
                JSON.readTree(
                        HTTP.send(
                                        HttpRequest.newBuilder(URI.create(reviews + "/api/alerts"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body());
        String alert = pending.at("/alerts/0/alert_id").asText();
        assertThat(alert).as(pending.toString()).isNotEmpty();
        LocalStack.Result approve =
                STACK.vigil(
                        Duration.ofMinutes(1),
                        "review",
                        "approve",
                        alert,
                        "--reviewer",
                        "e2e",
                        "--url",
                        reviews);
        assertThat(approve.exitCode()).as(approve.output()).isZero();
        awaitValue("sum(vigil_retrain_requests_total)", v -> v == 1);
        awaitValue("sum(vigil_retrain_runs_total{outcome=\"refused\"})", v -> v == 1);
    }

    /**
     * The rollback guard (started by {@code up}) on the same stack: a promoted version that
     * declines every transaction is rolled back to the previous champion within seconds, which the
     * scoring job swaps back to; a breach of the restored champion, which has nothing to roll back
     * to, is reported only.
     */
    @Test
    @Order(4)
    void theGuardRollsBackAPromotionThatDeclinesEverything(@TempDir Path models) throws Exception {
        register(models, "4", 0.0, 5.0); // P(fraud) = σ(5) = 0.993 for every transaction
        vigil("model", "alias", MODEL, "4", "--as", "challenger", "--mode", "shadow");
        vigil("model", "promote", MODEL);
        awaitValue("count(vigil_model_info{role=\"champion\",version=\"4\"})", v -> v == 1);

        simulate(1_000);
        awaitValue(
                "sum(vigil_guard_breaches_total{role=\"champion\",limit=\"decline_rate\","
                        + "action=\"rolled_back\"})",
                v -> v == 1);
        awaitValue("count(vigil_model_info{role=\"champion\",version=\"1\"})", v -> v == 1);

        // Version 1 declines from 260 EUR (σ(0.02 · 260 - 3) = 0.9); it has no previous champion.
        // Paced at ~200 a second: a burst would have lookups outlive their budget and fall back,
        // and fallbacks decide nothing the guard can judge.
        produceTransactions("large-amount", 600, 50_000L, Duration.ofMillis(5));
        awaitValue(
                "sum(vigil_guard_breaches_total{action=\"reported\"})",
                v -> v >= 1,
                "sum by (decision, role) (vigil_decisions_total)",
                "sum by (reason) (vigil_fallback_total)",
                "vigil_guard_decline_rate",
                "vigil_guard_window_inferences",
                "vigil_guard_breaches_total");
    }

    @Test
    @Order(5)
    void everyDashboardQueryAndRuleHasData() throws Exception {
        List<Expression> queries = PrometheusExpressions.queriesWithData();

        // Rates need two scrapes and recording rules an evaluation after the last traffic.
        Map<String, String> empty = emptyQueries(queries);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!empty.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5_000);
            empty = emptyQueries(queries);
        }
        assertThat(empty).as("queries without data after %s", WAIT).isEmpty();
    }

    @Test
    @Order(6)
    void downStopsPrometheus() throws Exception {
        LocalStack.Result down = STACK.vigil(Duration.ofMinutes(2), "down");

        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(down.output()).containsPattern("(?m)^prometheus\\s+stopped");
        assertThat(isListening(prometheusPort)).isFalse();
        String config = STACK.home().resolve("var/prometheus/prometheus.yml").toString();
        assertThat(
                        ProcessHandle.allProcesses()
                                .filter(p -> p.info().commandLine().orElse("").contains(config)))
                .isEmpty();
    }

    /** Leaves no topics, rows or series behind for the next E2E class on the shared stack home. */
    @AfterAll
    static void purgeStack() throws Exception {
        LocalStack.Result purge = STACK.vigil(Duration.ofMinutes(2), "down", "--purge");
        assertThat(purge.exitCode()).as(purge.output()).isZero();
    }

    /** The registry's versions are read-only files in read-only directories: opened up first. */
    private static void deleteRegistry() throws IOException {
        Path registry = STACK.home().resolve("var/registry");
        if (!Files.exists(registry)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(registry)) {
            walk.forEach(p -> p.toFile().setWritable(true));
        }
        try (Stream<Path> walk = Files.walk(registry)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The queries that return an error or no series, with the error or "no data". */
    private static Map<String, String> emptyQueries(List<Expression> queries)
            throws IOException, InterruptedException {
        Map<String, String> empty = new LinkedHashMap<>();
        for (Expression query : queries) {
            JsonNode answer = query(query.promql());
            if (!answer.path("status").asText().equals("success")) {
                empty.put(query.source() + ": " + query.promql(), answer.path("error").asText());
            } else if (answer.at("/data/result").isEmpty()) {
                empty.put(query.source() + ": " + query.promql(), "no data");
            }
        }
        return empty;
    }

    /**
     * Polls an instant query until its first sample's value satisfies the condition; on a timeout
     * the failure also shows what {@code diagnostics} (more queries) answered.
     */
    private static void awaitValue(String promql, DoublePredicate condition, String... diagnostics)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode answer;
        do {
            answer = query(promql);
            JsonNode sample = answer.at("/data/result/0/value/1");
            if (!sample.isMissingNode() && condition.test(Double.parseDouble(sample.asText()))) {
                return;
            }
            Thread.sleep(1_000);
        } while (System.nanoTime() < deadline);
        StringBuilder seen = new StringBuilder();
        for (String diagnostic : diagnostics) {
            seen.append("\n")
                    .append(diagnostic)
                    .append(" gives ")
                    .append(query(diagnostic).at("/data/result"));
        }
        throw new AssertionError("after " + WAIT + ", " + promql + " gives " + answer + seen);
    }

    private static JsonNode query(String promql) throws IOException, InterruptedException {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** A GET of Prometheus' HTTP API; error answers (400, 422) carry JSON too. */
    private static JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + prometheusPort
                                                        + pathAndQuery))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** {@code count} simulated transactions at 500 a second, event time = now. */
    private static void simulate(int count) throws Exception {
        vigil(
                "simulate",
                "--customers",
                "300",
                "--terminals",
                "600",
                "--time-mode",
                "wall-clock",
                "--rate",
                "500",
                "--label-delay",
                "PT2S",
                "--max-tx",
                Integer.toString(count));
    }

    /**
     * Transactions sent before any model is registered (amounts from 10 EUR up), then one record
     * that is not Avro.
     */
    private static void produceTransactionsAndOneMalformedRecord() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, "before-champion", BEFORE_CHAMPION, 1_000L, Duration.ZERO);
            producer.send(
                            new ProducerRecord<>(
                                    "vigil.transactions",
                                    key("malformed"),
                                    "not an Avro transaction".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
    }

    private static void produceTransactions(
            String idPrefix, int count, long firstAmountCents, Duration pause) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            send(producer, idPrefix, count, firstAmountCents, pause);
            producer.flush();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafkaBootstrap());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Transactions {@code <idPrefix>-<i>} keyed and timed as producers do (record time = now), over
     * 20 customers and 30 terminals, amounts rising by 1 EUR from {@code firstAmountCents}, {@code
     * pause} apart.
     */
    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String idPrefix,
            int count,
            long firstAmountCents,
            Duration pause)
            throws InterruptedException {
        AvroSerde<Transaction> serde = AvroSerde.of(Transaction.class);
        for (int i = 0; i < count; i++) {
            Thread.sleep(pause.toMillis());
            String id = idPrefix + "-" + i;
            Transaction tx =
                    new Transaction(
                            id,
                            Instant.now(),
                            "customer-" + (i % 20),
                            "terminal-" + (i % 30),
                            new Money(firstAmountCents + 100L * i, "EUR"),
                            null,
                            null,
                            null);
            producer.send(new ProducerRecord<>("vigil.transactions", key(id), serde.serialize(tx)));
        }
    }

    /**
     * Registers a logistic model on the 15 v1 inputs that scores by amount (P(fraud) = σ(w · amount
     * + b)), publishing the model event; returns the stored ONNX file.
     */
    private static Path register(Path dir, String version, double amountWeight, double intercept)
            throws Exception {
        InputSignature signature = FeatureCatalog.v1().defaultSignature("features");
        double[] weights = new double[signature.width()];
        weights[signature.featureNames().indexOf("request:tx_amount")] = amountWeight;
        Path file = dir.resolve("model-" + version + ".onnx");
        try (LogisticRegressionModel model =
                new LogisticRegressionModel(weights, intercept, Map.of())) {
            Files.write(file, model.toOnnx(signature));
        }
        vigil(
                "model",
                "register",
                file.toString(),
                "--name",
                MODEL,
                "--version",
                version,
                "--features",
                "v1",
                "--metadata",
                METADATA);
        return STACK.home()
                .resolve("var/registry")
                .resolve(MODEL)
                .resolve("versions")
                .resolve(version)
                .resolve("model.onnx");
    }

    /**
     * A reference profile of every input and of the score as uniform on [0, 1): the E2E traffic's
     * amounts, counts and scores lie elsewhere, so the drift job must find drift in its first
     * window.
     */
    private static ReferenceProfile uniformProfile() {
        double[] uniform = new double[1_000];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = i / (double) uniform.length;
        }
        DistributionProfile profile = DistributionProfile.of(uniform, 10);
        Map<String, DistributionProfile> features = new HashMap<>();
        for (String name : FeatureCatalog.v1().defaultSignature("features").featureNames()) {
            features.put(name, profile);
        }
        return new ReferenceProfile(features, profile);
    }

    /** {@code ./vigil ARGS --bootstrap <stack>}, which must succeed. */
    private static void vigil(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--bootstrap", STACK.kafkaBootstrap()));
        LocalStack.Result result =
                STACK.vigil(Duration.ofMinutes(2), command.toArray(String[]::new));
        assertThat(result.exitCode())
                .as("./vigil " + String.join(" ", command) + "\n" + result.output())
                .isZero();
    }

    /** A script of infra/bin with this stack's settings (2 s checkpoints for the feature job). */
    private static LocalStack.Result script(String path) throws IOException, InterruptedException {
        return STACK.run(
                Duration.ofMinutes(3), Map.of("VIGIL_FEATURE_CHECKPOINT_INTERVAL", "2s"), path);
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isListening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
