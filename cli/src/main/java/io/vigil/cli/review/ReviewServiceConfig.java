package io.vigil.cli.review;

import io.vigil.schemas.kafka.KafkaClientProperties;
import io.vigil.schemas.topics.TopicRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything {@code vigil review serve} needs, validated once.
 *
 * @param kafkaClientProperties bootstrap servers and timeouts, shared by the producer and consumers
 * @param topics where the drift alerts, reviews and retrain requests are
 * @param transactionalId the review writer's transactional id: one live writer per id
 * @param bind the HTTP address (port 0 = any free port)
 * @param reviewerHeader the header an authenticating proxy sets to the signed-in user, or null
 * @param publicOrigins where reviewers' browsers load the page from, e.g. {@code
 *     https://review.example.com}, when a proxy rewrites the Host header; empty when it does not.
 *     Kept as a browser writes them in an {@code Origin} header: lower case, no default port
 */
public record ReviewServiceConfig(
        Map<String, Object> kafkaClientProperties,
        TopicRegistry topics,
        String transactionalId,
        InetSocketAddress bind,
        String reviewerHeader,
        List<String> publicOrigins) {

    /** Masks secrets of the Kafka client properties ({@link KafkaClientProperties#redacted}). */
    @Override
    public String toString() {
        return "ReviewServiceConfig[kafkaClientProperties="
                + KafkaClientProperties.redacted(kafkaClientProperties)
                + ", topics="
                + topics
                + ", transactionalId="
                + transactionalId
                + ", bind="
                + bind
                + ", reviewerHeader="
                + reviewerHeader
                + ", publicOrigins="
                + publicOrigins
                + "]";
    }

    // RFC 7230 token characters.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("http", 80, "https", 443);

    public ReviewServiceConfig {
        kafkaClientProperties = Map.copyOf(kafkaClientProperties);
        if (!kafkaClientProperties.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("Kafka bootstrap servers are required");
        }
        if (topics == null) {
            throw new IllegalArgumentException("topics are required");
        }
        if (transactionalId == null || transactionalId.isBlank()) {
            throw new IllegalArgumentException("--transactional-id must not be blank");
        }
        if (bind == null || bind.isUnresolved()) {
            throw new IllegalArgumentException(
                    "--bind " + (bind == null ? "" : bind.getHostString()) + " is not an address");
        }
        if (reviewerHeader != null && !HEADER_NAME.matcher(reviewerHeader).matches()) {
            throw new IllegalArgumentException(
                    "--reviewer-header '" + reviewerHeader + "' is not an HTTP header name");
        }
        publicOrigins = publicOrigins.stream().map(ReviewServiceConfig::browserOrigin).toList();
    }

    private static String browserOrigin(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            throw notAnOrigin(origin, e);
        }
        String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        Integer defaultPort = DEFAULT_PORTS.get(scheme);
        // In this order: an opaque URI (http:x) has no host, and no path to ask for.
        if (defaultPort == null
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw notAnOrigin(origin, null);
        }
        int port = uri.getPort();
        return scheme
                + "://"
                + uri.getHost().toLowerCase(Locale.ROOT)
                + (port == -1 || port == defaultPort ? "" : ":" + port);
    }

    private static IllegalArgumentException notAnOrigin(String origin, Throwable cause) {
        return new IllegalArgumentException(
                "--public-origin '"
                        + origin
                        + "' is not an origin: scheme http or https, host and optional port,"
                        + " nothing after them (e.g. https://review.example.com)",
                cause);
    }
}
