package io.vigil.models.registry;

import io.vigil.schemas.kafka.KafkaClientProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where model events go.
 *
 * <ul>
 *   <li>{@code bootstrapServers}: Kafka bootstrap servers, required.
 *   <li>{@code topic}: the model-events topic (one partition, so order holds), e.g. {@code
 *       vigil.model-events}.
 *   <li>{@code sendTimeout}: how long a publish may wait for the broker's acknowledgement.
 *   <li>{@code producerOverrides}: further producer properties (e.g. security settings); never
 *       logged.
 * </ul>
 */
public record ModelEventsConfig(
        String bootstrapServers,
        String topic,
        Duration sendTimeout,
        Map<String, String> producerOverrides) {

    public ModelEventsConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("model events: bootstrap servers are required");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("model events: topic is required");
        }
        Objects.requireNonNull(sendTimeout, "model events: send timeout");
        if (sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "model events: send timeout must be positive, got " + sendTimeout);
        }
        producerOverrides = Map.copyOf(Objects.requireNonNullElse(producerOverrides, Map.of()));
    }

    /** Masks secrets of the overrides ({@link KafkaClientProperties#redacted}). */
    @Override
    public String toString() {
        return "ModelEventsConfig[bootstrapServers="
                + bootstrapServers
                + ", topic="
                + topic
                + ", sendTimeout="
                + sendTimeout
                + ", producerOverrides="
                + KafkaClientProperties.redacted(producerOverrides)
                + "]";
    }

    public static ModelEventsConfig of(String bootstrapServers, String topic) {
        return new ModelEventsConfig(bootstrapServers, topic, Duration.ofSeconds(30), Map.of());
    }
}
