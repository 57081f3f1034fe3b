package io.vigil.cli.review;

import static io.vigil.cli.review.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.cli.commands.ReviewCommand;
import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.RetrainRequest;
import io.vigil.schemas.Review;
import io.vigil.schemas.ReviewVerdict;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaAcls;
import io.vigil.testkit.KafkaExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The review queue service on a real broker: alerts in, verdicts through the CLI and the HTTP API,
 * reviews and retrain requests read back read_committed, and a restart that rebuilds the state. The
 * broker takes only SASL logins and admits the service's user only to what docs/security.md lists
 * for {@code vigil review serve}.
 */
class ReviewQueueITCase {

    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.withSasl();

    private static final Duration CATCH_UP = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final AvroSerde<Review> REVIEWS = AvroSerde.of(Review.class);
    private static final AvroSerde<RetrainRequest> REQUESTS = AvroSerde.of(RetrainRequest.class);

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ReviewQueueService> services = new ArrayList<>();
    private TopicRegistry topics;

    @AfterEach
    void closeServices() throws InterruptedException {
        for (ReviewQueueService service : services) {
            service.close();
        }
    }

    @Test
    void showsEachAlertOnceApprovesOneRequestPerModelAndRefusesASecondVerdict() throws Exception {
        topics = KAFKA.freshTopics();
        produce(
                alert("a1", "alpha", "3", 0),
                alert("a2", "alpha", "3", 5),
                alert("b1", "beta", "1", 2),
                alert("a1", "alpha", "3", 0)); // the drift job replayed a1
        ReviewQueueService service = start("review-" + prefix(), null);

        JsonNode pending = json(get(service, "/api/alerts"));
        assertThat(pending.path("count").asInt()).isEqualTo(3);
        assertThat(pending.path("alerts").findValuesAsText("alert_id"))
                .containsExactly("a2", "b1", "a1");
        String metrics = get(service, "/metrics").body();
        assertThat(sample(metrics, "vigil_reviews_pending")).isEqualTo(3);
        assertThat(sample(metrics, "vigil_drift_alerts_received_total")).isEqualTo(3);
        assertThat(sample(metrics, "vigil_drift_alert_duplicates_total")).isEqualTo(1);

        Run approve =
                cli(
                        "approve",
                        "a1",
                        "a2",
                        "--reviewer",
                        "alice",
                        "--comment",
                        "amounts moved",
                        "--train-from",
                        "2018-05-01T00:00:00Z",
                        "--url",
                        service.url().toString());

        assertThat(approve.exit()).as(approve.err()).isZero();
        assertThat(approve.out())
                .startsWith("approved 2 alerts as alice: a1, a2\nretrain request ")
                .contains(": model alpha from version 3 (2 alerts)");
        RetrainRequest request = single(records(topics.retrainRequests().name(), REQUESTS));
        assertThat(request.getModel()).isEqualTo("alpha");
        assertThat(request.getBaseVersion()).isEqualTo("3");
        assertThat(request.getAlertIds()).containsExactly("a1", "a2");
        assertThat(request.getApprovedBy()).isEqualTo("alice");
        assertThat(request.getTrainFrom()).isEqualTo(Instant.parse("2018-05-01T00:00:00Z"));
        assertThat(request.getTrainTo()).isNull();
        assertThat(records(topics.reviews().name(), REVIEWS))
                .extracting(Review::getAlertId, Review::getVerdict, Review::getComment)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "a1", ReviewVerdict.APPROVED, "amounts moved"),
                        org.assertj.core.groups.Tuple.tuple(
                                "a2", ReviewVerdict.APPROVED, "amounts moved"));

        Run reject = cli("reject", "b1", "--reviewer", "bob", "--url", service.url().toString());

        assertThat(reject.exit()).as(reject.err()).isZero();
        assertThat(reject.out()).isEqualTo("rejected 1 alert as bob: b1\n");
        assertThat(records(topics.reviews().name(), REVIEWS))
                .extracting(Review::getAlertId)
                .containsExactly("a1", "a2", "b1");
        assertThat(records(topics.retrainRequests().name(), REQUESTS)).hasSize(1);

        long reviewOffsets = KAFKA.endOffsetTotal(topics.reviews().name());
        long requestOffsets = KAFKA.endOffsetTotal(topics.retrainRequests().name());
        Run again = cli("approve", "a1", "--reviewer", "carol", "--url", service.url().toString());

        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err())
                .startsWith(
                        "review approve: refused (HTTP 409): already reviewed: a1 (APPROVED by alice at ")
                .contains("nothing was written");
        // Offsets count transaction markers too: not even an aborted transaction happened.
        assertThat(KAFKA.endOffsetTotal(topics.reviews().name())).isEqualTo(reviewOffsets);
        assertThat(KAFKA.endOffsetTotal(topics.retrainRequests().name())).isEqualTo(requestOffsets);

        Run all = cli("list", "--status", "all", "--url", service.url().toString());
        assertThat(all.exit()).as(all.err()).isZero();
        List<String> lines = all.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("ALERT ID  STATUS    MODEL  VERSION  SUBJECT");
        assertThat(lines.get(2))
                .startsWith("b1        reviewed  beta   1        tx_amount  PSI")
                .contains("0.3100", "0.2000", "12,345", "2018-06-08T00:02:00Z")
                .endsWith("REJECTED  bob");
        assertThat(cli("list", "--url", service.url().toString()).out())
                .isEqualTo("no pending alerts\n");
        metrics = get(service, "/metrics").body();
        assertThat(sample(metrics, "vigil_reviews_pending")).isZero();
        assertThat(sample(metrics, "vigil_reviews_total{verdict=\"APPROVED\"}")).isEqualTo(2);
        assertThat(sample(metrics, "vigil_reviews_total{verdict=\"REJECTED\"}")).isEqualTo(1);
        assertThat(sample(metrics, "vigil_retrain_requests_total")).isEqualTo(1);
    }

    @Test
    void concurrentApprovalsOfOneAlertWriteOneReviewAndOneRequest() throws Exception {
        topics = KAFKA.freshTopics();
        produce(alert("a1", "alpha", "3", 0));
        ReviewQueueService service = start("review-" + prefix(), null);
        ReviewClient client = new ReviewClient(service.url(), Duration.ofSeconds(30));
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                String reviewer = "reviewer-" + i;
                Callable<Integer> approve =
                        () -> {
                            go.await();
                            try {
                                client.submit(
                                        new ReviewSubmission(
                                                List.of("a1"),
                                                ReviewVerdict.APPROVED,
                                                reviewer,
                                                null,
                                                null,
                                                null));
                                return 200;
                            } catch (ReviewException e) {
                                return e.status();
                            }
                        };
                outcomes.add(pool.submit(approve));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> outcome : outcomes) {
                statuses.add(outcome.get());
            }
            assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 409);
        } finally {
            pool.shutdownNow();
        }

        Review review = single(records(topics.reviews().name(), REVIEWS));
        RetrainRequest request = single(records(topics.retrainRequests().name(), REQUESTS));
        assertThat(request.getAlertIds()).containsExactly("a1");
        assertThat(request.getApprovedBy()).isEqualTo(review.getReviewer());
    }

    @Test
    void aRestartedServiceRebuildsTheSameStateFromTheTopics() throws Exception {
        topics = KAFKA.freshTopics();
        produce(
                alert("a1", "alpha", "3", 0),
                alert("a2", "alpha", "3", 1),
                alert("b1", "beta", "1", 2));
        String transactionalId = "review-" + prefix();
        ReviewQueueService first = start(transactionalId, null);
        assertThat(
                        post(
                                        first,
                                        "{\"alert_ids\":[\"a1\"],\"verdict\":\"APPROVED\",\"reviewer\":\"alice\",\"comment\":\"ok\"}")
                                .statusCode())
                .isEqualTo(200);
        assertThat(
                        post(
                                        first,
                                        "{\"alert_ids\":[\"b1\"],\"verdict\":\"REJECTED\",\"reviewer\":\"bob\"}")
                                .statusCode())
                .isEqualTo(200);
        JsonNode before = json(get(first, "/api/alerts?status=all"));
        first.close();
        services.remove(first);
        produce(alert("a1", "alpha", "3", 0)); // a replay after the verdict

        ReviewQueueService second = start(transactionalId, null);

        assertThat(json(get(second, "/api/alerts?status=all"))).isEqualTo(before);
        assertThat(json(get(second, "/api/alerts")).path("alerts").findValuesAsText("alert_id"))
                .containsExactly("a2");
        assertThat(sample(get(second, "/metrics").body(), "vigil_reviews_pending")).isEqualTo(1);
        HttpResponse<String> again =
                post(
                        second,
                        "{\"alert_ids\":[\"a1\"],\"verdict\":\"APPROVED\",\"reviewer\":\"carol\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(records(topics.retrainRequests().name(), REQUESTS)).hasSize(1);
    }

    @Test
    void thePageListsPendingAlertsEscapedAndItsFormRecordsAVerdict() throws Exception {
        topics = KAFKA.freshTopics();
        String hostile = "<script>alert('pwned')</script>";
        String id = "alpha:3:tx amount";
        produce(alert(id, "alpha", "3", 0, hostile));
        ReviewQueueService service = start("review-" + prefix(), null);

        HttpResponse<String> page = get(service, "/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body())
                .contains("alpha version 3 — 1 alert")
                .contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;")
                .doesNotContain("<script>");

        HttpResponse<String> submitted =
                postForm(
                        service,
                        null,
                        "alert_id="
                                + form(id)
                                + "&reviewer=dana&comment="
                                + form("seasonal & expected")
                                + "&verdict=REJECTED");

        assertThat(submitted.statusCode()).isEqualTo(303);
        assertThat(submitted.headers().firstValue("Location")).hasValue("/");
        JsonNode alert = json(get(service, "/api/alerts/alpha:3:tx%20amount"));
        assertThat(alert.path("status").asText()).isEqualTo("reviewed");
        assertThat(alert.path("subject").asText()).isEqualTo(hostile);
        assertThat(alert.path("review").path("reviewer").asText()).isEqualTo("dana");
        assertThat(alert.path("review").path("comment").asText()).isEqualTo("seasonal & expected");
        assertThat(get(service, "/").body()).contains("No pending alerts.", "REJECTED", "dana");
    }

    @Test
    void refusalsAreJsonWithTheirStatusAndWriteNothing() throws Exception {
        topics = KAFKA.freshTopics();
        produce(alert("a1", "alpha", "3", 0));
        ReviewQueueService service = start("review-" + prefix(), null);

        assertError(
                post(
                        service,
                        "{\"alert_ids\":[\"zz\"],\"verdict\":\"APPROVED\",\"reviewer\":\"a\"}"),
                404,
                "no such alert: zz; nothing was written");
        assertError(post(service, "{\"alert_ids\":[\"a1\""), 400, "body is not valid JSON");
        assertError(
                post(service, "{\"alert_ids\":[\"a1\"],\"verdict\":\"APPROVED\"}"),
                400,
                "reviewer is required");
        assertError(
                post(service, "{\"alert_ids\":[\"a1\"],\"reviewer\":\"a\"}"),
                400,
                "verdict is required");
        assertError(get(service, "/api/alerts/zz"), 404, "no such alert: zz");
        assertError(get(service, "/api/alerts?status=open"), 400, "is not an alert status");
        assertError(get(service, "/api/reviews"), 405, "GET is not allowed on /api/reviews");
        assertError(get(service, "/nothing-here"), 404, "no such page");
        // Paths that only start like a served one (the JDK server matches contexts by prefix).
        for (String path :
                List.of(
                        "/healthzfoo",
                        "/reviewXYZ",
                        "/metricsfoo",
                        "/api/alertsXYZ",
                        "/api/alerts/a1/more",
                        "/api/reviews/x")) {
            assertError(get(service, path), 404, "no such page: " + path);
        }
        assertThat(json(get(service, "/api/alerts/a1")).path("alert_id").asText()).isEqualTo("a1");
        // Cross-site request forgery: a page elsewhere posting the form, or JSON as text/plain.
        HttpResponse<String> forged =
                postForm(service, "http://evil.example", "alert_id=a1&reviewer=x&verdict=APPROVED");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("from another site");
        assertError(
                send(
                        HttpRequest.newBuilder(service.url().resolve("/api/reviews"))
                                .header("Content-Type", "text/plain")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"alert_ids\":[\"a1\"],\"verdict\":"
                                                        + "\"APPROVED\",\"reviewer\":\"x\"}"))),
                415,
                "verdicts are JSON");
        Run refused = cli("reject", "zz", "--reviewer", "a", "--url", service.url().toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err())
                .isEqualTo(
                        "review reject: refused (HTTP 404): no such alert: zz; nothing was written\n");

        assertThat(KAFKA.endOffsetTotal(topics.reviews().name())).isZero();
        assertThat(KAFKA.endOffsetTotal(topics.retrainRequests().name())).isZero();
        HttpResponse<String> health = get(service, "/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("pending").asInt()).isEqualTo(1);
    }

    @Test
    void theReviewerHeaderReplacesTheBodysReviewerAndIsRequired() throws Exception {
        topics = KAFKA.freshTopics();
        produce(alert("a1", "alpha", "3", 0));
        ReviewQueueService service = start("review-" + prefix(), "X-Forwarded-User");
        String body = "{\"alert_ids\":[\"a1\"],\"verdict\":\"REJECTED\",\"reviewer\":\"mallory\"}";

        assertError(post(service, body), 401, "no X-Forwarded-User header");

        HttpResponse<String> signed =
                send(
                        HttpRequest.newBuilder(service.url().resolve("/api/reviews"))
                                .header("Content-Type", "application/json")
                                .header("X-Forwarded-User", "alice@bank")
                                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(single(records(topics.reviews().name(), REVIEWS)).getReviewer())
                .isEqualTo("alice@bank");
    }

    @Test
    void behindAProxyThatRewritesHostOnlyThePagesOfThePublicOriginsSubmit() throws Exception {
        topics = KAFKA.freshTopics();
        produce(alert("a1", "alpha", "3", 0), alert("a2", "alpha", "3", 1));
        ReviewQueueService service =
                start("review-" + prefix(), null, List.of("https://review.example.com"));
        // This client sends Host 127.0.0.1:<port>, as nginx's proxy_pass to the service does,
        // while the reviewer's browser loaded the page from the public address.
        String hostsOrigin = service.url().toString();

        HttpResponse<String> proxied =
                postForm(
                        service,
                        "https://review.example.com",
                        "alert_id=a1&reviewer=erin&verdict=REJECTED");

        assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(303);
        for (String origin : List.of("https://evil.example", hostsOrigin)) {
            HttpResponse<String> refused =
                    postForm(service, origin, "alert_id=a2&reviewer=erin&verdict=REJECTED");
            assertThat(refused.statusCode()).as(origin).isEqualTo(403);
            assertThat(refused.body()).contains("from another site");
        }
        assertThat(records(topics.reviews().name(), REVIEWS))
                .extracting(Review::getAlertId)
                .containsExactly("a1");
    }

    @Test
    void aSecondInstanceWithTheSameTransactionalIdFencesTheFirst() throws Exception {
        topics = KAFKA.freshTopics();
        produce(alert("a1", "alpha", "3", 0), alert("a2", "alpha", "3", 1));
        String transactionalId = "review-" + prefix();
        ReviewQueueService first = start(transactionalId, null);
        ReviewQueueService second = start(transactionalId, null);

        assertError(
                post(first, "{\"alert_ids\":[\"a1\"],\"verdict\":\"APPROVED\",\"reviewer\":\"a\"}"),
                503,
                "another instance took over its transactional id");
        assertThat(
                        post(
                                        second,
                                        "{\"alert_ids\":[\"a2\"],\"verdict\":\"APPROVED\",\"reviewer\":\"a\"}")
                                .statusCode())
                .isEqualTo(200);
        assertThat(records(topics.reviews().name(), REVIEWS))
                .extracting(Review::getAlertId)
                .containsExactly("a2");
    }

    private ReviewQueueService start(String transactionalId, String reviewerHeader)
            throws Exception {
        return start(transactionalId, reviewerHeader, List.of());
    }

    private ReviewQueueService start(
            String transactionalId, String reviewerHeader, List<String> publicOrigins)
            throws Exception {
        KAFKA.grant(
                KafkaAcls.forPrincipal(KAFKA.clientPrincipal())
                        .readTopics(topics.driftAlerts().name(), topics.reviews().name())
                        .writeTopics(topics.reviews().name(), topics.retrainRequests().name())
                        .writeTransactionalIds(transactionalId));
        ReviewQueueService service =
                ReviewQueueService.start(
                        new ReviewServiceConfig(
                                KAFKA.clientConfig(),
                                topics,
                                transactionalId,
                                new InetSocketAddress("127.0.0.1", 0),
                                reviewerHeader,
                                publicOrigins));
        services.add(service);
        assertThat(service.awaitCaughtUp(CATCH_UP)).as("caught up").isTrue();
        return service;
    }

    private void produce(DriftAlert... alerts) {
        AvroSerde<DriftAlert> serde = AvroSerde.of(DriftAlert.class);
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
            for (DriftAlert alert : alerts) {
                producer.send(
                        new ProducerRecord<>(
                                topics.driftAlerts().name(),
                                alert.getModel().getBytes(StandardCharsets.UTF_8),
                                serde.serialize(alert)));
            }
        }
    }

    private String prefix() {
        String name = topics.reviews().name();
        return name.substring(0, name.length() - "reviews".length() - 1);
    }

    /** Everything committed on {@code topic}, decoded; waits briefly for stragglers. */
    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> records(
            String topic, AvroSerde<T> serde) throws MalformedRecordException {
        List<T> decoded = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readAll(topic, Integer.MAX_VALUE, Duration.ofSeconds(1))) {
            decoded.add(serde.deserialize(r.topic(), r.partition(), r.offset(), r.value()));
        }
        return decoded;
    }

    private static <T> T single(List<T> records) {
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private HttpResponse<String> get(ReviewQueueService service, String path) {
        return send(HttpRequest.newBuilder(URI.create(service.url() + path)).GET());
    }

    private HttpResponse<String> post(ReviewQueueService service, String json) {
        return send(
                HttpRequest.newBuilder(service.url().resolve("/api/reviews"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The page's form as a browser posts it from a page at {@code origin} (null: no browser). */
    private HttpResponse<String> postForm(ReviewQueueService service, String origin, String body) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(service.url().resolve("/review"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(
                    request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String message)
            throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = MAPPER.readTree(response.body());
        assertThat(error.path("status").asInt()).isEqualTo(status);
        assertThat(error.path("error").asText()).contains(message);
    }

    /** The value of one series in a Prometheus text exposition. */
    private static double sample(String exposition, String series) {
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        assertThat(m.find()).as(series + " in\n" + exposition).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ReviewCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
