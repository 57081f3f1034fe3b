package io.vigil.cli.review;

import io.vigil.schemas.topics.TopicRegistry;
import java.net.InetSocketAddress;
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
 */
public record ReviewServiceConfig(
        Map<String, Object> kafkaClientProperties,
        TopicRegistry topics,
        String transactionalId,
        InetSocketAddress bind,
        String reviewerHeader) {

    // RFC 7230 token characters.
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

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
    }
}
