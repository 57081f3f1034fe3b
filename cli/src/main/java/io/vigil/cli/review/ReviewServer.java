package io.vigil.cli.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review queue's HTTP endpoints on the JDK's built-in server, one port for all:
 *
 * <ul>
 *   <li>{@code GET /api/alerts?status=pending|reviewed|all}, {@code GET /api/alerts/{id}}
 *   <li>{@code POST /api/reviews} (JSON, see {@link ReviewSubmission#fromJson})
 *   <li>{@code GET /} the reviewers' page, {@code POST /review} its form (303 back to {@code /})
 *   <li>{@code GET /healthz} (503 until the queue has caught up), {@code GET /metrics}
 * </ul>
 *
 * Each path is served exactly as listed (any other is 404). Errors are {@code {"status":...,
 * "error":"..."}} (the form gets an HTML page instead).
 */
public final class ReviewServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewServer.class);
    private static final int MAX_BODY_BYTES = 256 * 1024;
    private static final int RECENTLY_REVIEWED = 50;
    private static final String ALERTS_PATH = "/api/alerts";

    private final ReviewService service;
    private final String reviewerHeader;
    private final List<String> publicOrigins;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ReviewJson json = new ReviewJson(mapper);
    private final ObjectWriter prettyWriter = mapper.writerWithDefaultPrettyPrinter();
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Binds and starts serving.
     *
     * @param reviewerHeader a request header an authenticating proxy sets to the signed-in user,
     *     which then replaces the reviewer of a submission (required on every verdict); or null
     * @param publicOrigins the origins the reviewers' page is served from, when a proxy in front
     *     rewrites the Host header; empty: the origin the Host header names
     */
    public ReviewServer(
            ReviewService service,
            ReviewMetrics metrics,
            InetSocketAddress address,
            String reviewerHeader,
            List<String> publicOrigins)
            throws IOException {
        this.service = service;
        this.reviewerHeader = reviewerHeader;
        this.publicOrigins = List.copyOf(publicOrigins);
        this.server = HttpServer.create(address, 0);
        this.executor =
                Executors.newFixedThreadPool(
                        8,
                        r -> {
                            Thread t = new Thread(r, "vigil-review-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        Map<Route, HttpHandler> handlers = handlers(new MetricsHandler(metrics.registry));
        // One context for all: the JDK's contexts match every path they prefix (/healthzfoo).
        server.createContext(
                "/",
                exchange ->
                        handlers.get(Route.of(exchange.getRequestURI().getPath()))
                                .handle(exchange));
        server.start();
    }

    /** What a request path asks for: exactly one of the paths served, or none. */
    enum Route {
        PAGE,
        FORM,
        ALERTS,
        ALERT,
        REVIEWS,
        HEALTH,
        METRICS,
        NONE;

        static Route of(String path) {
            return switch (path) {
                case "/" -> PAGE;
                case "/review" -> FORM;
                case ALERTS_PATH -> ALERTS;
                case "/api/reviews" -> REVIEWS;
                case "/healthz" -> HEALTH;
                case "/metrics" -> METRICS;
                default -> alertId(path).isPresent() ? ALERT : NONE;
            };
        }
    }

    /** The handler of every route, built once. */
    private Map<Route, HttpHandler> handlers(HttpHandler prometheus) {
        Map<Route, HttpHandler> handlers = new EnumMap<>(Route.class);
        for (Route route : Route.values()) {
            handlers.put(
                    route,
                    switch (route) {
                        case PAGE -> guarded(this::page);
                        case FORM -> guarded(this::form);
                        case ALERTS -> guarded(this::alerts);
                        case ALERT -> guarded(this::alert);
                        case REVIEWS -> guarded(this::reviews);
                        case HEALTH -> guarded(this::health);
                        case METRICS -> prometheus;
                        case NONE -> guarded(ReviewServer::notFound);
                    });
        }
        return handlers;
    }

    /** The id in {@code /api/alerts/{id}}: one path segment, not empty. */
    static Optional<String> alertId(String path) {
        String prefix = ALERTS_PATH + "/";
        if (!path.startsWith(prefix)) {
            return Optional.empty();
        }
        String id = path.substring(prefix.length());
        return id.isEmpty() || id.contains("/") ? Optional.empty() : Optional.of(id);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8090}. */
    public URI url() {
        InetSocketAddress address = server.getAddress();
        return URI.create(
                "http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    private static void notFound(HttpExchange exchange) {
        throw new ReviewException(
                ReviewException.NOT_FOUND, "no such page: " + exchange.getRequestURI().getPath());
    }

    private void page(HttpExchange exchange) throws IOException {
        requireMethod(exchange, "GET");
        ReviewQueue queue = service.queue();
        List<QueueEntry> reviewed = queue.entries(AlertStatus.REVIEWED);
        String page =
                ReviewPage.render(
                        queue.pendingGroups(),
                        reviewed.subList(0, Math.min(RECENTLY_REVIEWED, reviewed.size())),
                        reviewerHeader == null
                                ? null
                                : exchange.getRequestHeaders().getFirst(reviewerHeader),
                        service.notReady().isEmpty());
        send(exchange, 200, "text/html; charset=utf-8", page);
    }

    private void form(HttpExchange exchange) throws IOException {
        requireMethod(exchange, "POST");
        try {
            requireSameOrigin(exchange.getRequestHeaders(), publicOrigins);
            Map<String, List<String>> form =
                    FormData.parse(new String(body(exchange), StandardCharsets.UTF_8));
            service.review(ReviewSubmission.fromForm(form, signedIn(exchange)));
        } catch (ReviewException e) {
            send(
                    exchange,
                    e.status(),
                    "text/html; charset=utf-8",
                    ReviewPage.error(e.status(), e.getMessage()));
            return;
        }
        // Post/redirect/get: reloading the page does not submit the verdict again.
        exchange.getResponseHeaders().set("Location", "/");
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    private void alerts(HttpExchange exchange) throws IOException {
        requireMethod(exchange, "GET");
        List<String> status =
                FormData.parse(exchange.getRequestURI().getRawQuery())
                        .getOrDefault("status", List.of("pending"));
        AlertStatus wanted;
        try {
            wanted = AlertStatus.parse(status.get(0));
        } catch (IllegalArgumentException e) {
            throw ReviewException.badRequest(e.getMessage());
        }
        sendJson(exchange, 200, json.alerts(wanted, service.queue().entries(wanted)));
    }

    private void alert(HttpExchange exchange) throws IOException {
        requireMethod(exchange, "GET");
        String id = alertId(exchange.getRequestURI().getPath()).orElseThrow();
        QueueEntry entry =
                service.queue()
                        .entry(id)
                        .orElseThrow(
                                () ->
                                        new ReviewException(
                                                ReviewException.NOT_FOUND, "no such alert: " + id));
        sendJson(exchange, 200, json.entry(entry));
    }

    private void reviews(HttpExchange exchange) throws IOException {
        requireMethod(exchange, "POST");
        requireSameOrigin(exchange.getRequestHeaders(), publicOrigins);
        // A browser sends JSON to another origin only after a CORS preflight, which this server
        // never grants; form encodings and text/plain it sends without one.
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ReviewException(
                    ReviewException.UNSUPPORTED_MEDIA_TYPE,
                    "verdicts are JSON: send Content-Type: application/json");
        }
        ReviewSubmission submission =
                ReviewSubmission.fromJson(mapper, body(exchange), signedIn(exchange));
        sendJson(exchange, 200, json.batch(service.review(submission)));
    }

    private void health(HttpExchange exchange) throws IOException {
        requireMethod(exchange, "GET");
        Optional<String> notReady = service.notReady();
        var body = mapper.createObjectNode();
        body.put("status", notReady.isEmpty() ? "ok" : "unavailable");
        notReady.ifPresent(reason -> body.put("reason", reason));
        body.put("pending", service.queue().pendingCount());
        sendJson(exchange, notReady.isEmpty() ? 200 : 503, body);
    }

    private String signedIn(HttpExchange exchange) {
        if (reviewerHeader == null) {
            return null;
        }
        String user = exchange.getRequestHeaders().getFirst(reviewerHeader);
        if (user == null || user.isBlank()) {
            throw new ReviewException(
                    ReviewException.UNAUTHORIZED,
                    "no " + reviewerHeader + " header: verdicts need an authenticated reviewer");
        }
        return user;
    }

    /**
     * Refuses a verdict that a page of another site made the reviewer's browser send (cross-site
     * request forgery): browsers name the sending page's origin, clients such as the CLI send
     * neither header. The page's own origin is one of {@code publicOrigins} when there are any (a
     * proxy in front may rewrite Host), else the one the Host header names.
     */
    static void requireSameOrigin(Headers headers, List<String> publicOrigins) {
        String site = headers.getFirst("Sec-Fetch-Site");
        String origin = headers.getFirst("Origin");
        String host = headers.getFirst("Host");
        List<String> ownOrigins =
                publicOrigins.isEmpty()
                        ? List.of("http://" + host, "https://" + host)
                        : publicOrigins;
        boolean crossSite = site != null && !site.equals("same-origin") && !site.equals("none");
        boolean foreignOrigin = origin != null && !ownOrigins.contains(origin);
        if (crossSite || foreignOrigin) {
            throw new ReviewException(
                    ReviewException.FORBIDDEN,
                    "verdicts from another site's page are refused (origin "
                            + (origin == null ? site : origin)
                            + ")");
        }
    }

    private static void requireMethod(HttpExchange exchange, String method) {
        if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
            exchange.getResponseHeaders().set("Allow", method);
            throw new ReviewException(
                    405,
                    exchange.getRequestMethod()
                            + " is not allowed on "
                            + exchange.getRequestURI().getPath()
                            + " (use "
                            + method
                            + ")");
        }
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ReviewException(413, "body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** Turns a refusal into its JSON error and anything unexpected into a logged 500. */
    private HttpHandler guarded(ExchangeHandler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (ReviewException e) {
                sendJson(exchange, e.status(), json.error(e.status(), e.getMessage()));
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                sendJson(exchange, 500, json.error(500, "internal error: " + e.getMessage()));
            } finally {
                exchange.close();
            }
        };
    }

    private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        try {
            send(
                    exchange,
                    status,
                    "application/json; charset=utf-8",
                    prettyWriter.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface ExchangeHandler {
        void handle(HttpExchange exchange) throws IOException;
    }
}
