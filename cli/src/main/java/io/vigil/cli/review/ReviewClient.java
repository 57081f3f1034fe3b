package io.vigil.cli.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * A client of the review service's JSON API, for {@code vigil review list|approve|reject}. A
 * refusal (4xx/5xx) throws {@link ReviewException} with the service's status and message.
 */
public final class ReviewClient {

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    public ReviewClient(URI base, Duration timeout) {
        String url = base.toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** {@code GET /api/alerts?status=...}: the alerts array. */
    public JsonNode alerts(AlertStatus status) {
        return call(HttpRequest.newBuilder(base.resolve("api/alerts?status=" + status.label()))
                        .GET())
                .path("alerts");
    }

    /** {@code POST /api/reviews}: what the service wrote. */
    public JsonNode submit(ReviewSubmission submission) {
        ObjectNode body = mapper.createObjectNode();
        submission.alertIds().forEach(body.putArray("alert_ids")::add);
        body.put("verdict", submission.verdict().name());
        body.put("reviewer", submission.reviewer());
        body.put("comment", submission.comment());
        body.put("train_from", text(submission.trainFrom()));
        body.put("train_to", text(submission.trainTo()));
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the review", e);
        }
        return call(
                HttpRequest.newBuilder(base.resolve("api/reviews"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    private JsonNode call(HttpRequest.Builder request) {
        HttpRequest built = request.timeout(timeout).build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new IllegalStateException(
                    "no review service at "
                            + base
                            + " (start it with vigil review serve, or --url)",
                    e);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the review service at " + base + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + built.uri(), e);
        }
        JsonNode body;
        try {
            body = mapper.readTree(response.body());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (response.statusCode() >= 400) {
            String message =
                    body != null && body.hasNonNull("error")
                            ? body.get("error").asText()
                            : "HTTP " + response.statusCode() + " from " + built.uri();
            throw new ReviewException(response.statusCode(), message);
        }
        if (body == null) {
            throw new IllegalStateException(
                    built.uri() + " answered " + response.statusCode() + " without JSON");
        }
        return body;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
