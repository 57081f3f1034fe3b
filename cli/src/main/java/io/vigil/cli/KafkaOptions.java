package io.vigil.cli;

import io.vigil.schemas.topics.TopicRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where Kafka is and what the topics are called. The bootstrap address defaults to the {@code
 * VIGIL_BOOTSTRAP} environment variable, else 127.0.0.1:9092 (the local stack of {@code ./vigil
 * up}): fine for a user tool, unlike job code, which must be told its endpoints.
 */
public final class KafkaOptions {

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:VIGIL_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $VIGIL_BOOTSTRAP or 127.0.0.1:9092).")
    String bootstrap;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = TopicRegistry.DEFAULT_PREFIX,
            description = "Topic name prefix (default: ${DEFAULT-VALUE}), e.g. vigil.transactions.")
    String topicPrefix;

    @Option(
            names = "--kafka-timeout",
            paramLabel = "DURATION",
            defaultValue = "PT15S",
            converter = Converters.DurationConverter.class,
            description =
                    "How long to wait for Kafka before giving up (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    public String bootstrap() {
        return bootstrap;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    public TopicRegistry topics() {
        return TopicRegistry.withPrefix(topicPrefix);
    }

    public Duration timeout() {
        return timeout;
    }

    /** Client properties shared by admin, producer and consumer. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("default.api.timeout.ms", (int) timeout.toMillis());
        props.put("request.timeout.ms", (int) Math.min(timeout.toMillis(), 30_000));
        return props;
    }
}
