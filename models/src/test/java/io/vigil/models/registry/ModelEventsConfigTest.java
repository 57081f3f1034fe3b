package io.vigil.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelEventsConfigTest {

    @Test
    void needsServersTopicAndAPositiveTimeout() {
        assertThatThrownBy(() -> ModelEventsConfig.of(" ", "vigil.model-events"))
                .hasMessageContaining("bootstrap servers are required");
        assertThatThrownBy(() -> ModelEventsConfig.of("localhost:9092", null))
                .hasMessageContaining("topic is required");
        assertThatThrownBy(
                        () -> new ModelEventsConfig("localhost:9092", "t", Duration.ZERO, Map.of()))
                .hasMessageContaining("send timeout must be positive");
        assertThat(ModelEventsConfig.of("localhost:9092", "t").sendTimeout())
                .isEqualTo(Duration.ofSeconds(30));
    }
}
