package io.vigil.cli.review;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.topics.TopicRegistry;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewServiceConfigTest {

    private static final Map<String, Object> KAFKA = Map.of("bootstrap.servers", "127.0.0.1:9092");
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void refusesWhatCannotWork() {
        TopicRegistry topics = TopicRegistry.defaults();
        assertThatThrownBy(() -> new ReviewServiceConfig(Map.of(), topics, "id", LOCAL, null))
                .hasMessage("Kafka bootstrap servers are required");
        assertThatThrownBy(() -> new ReviewServiceConfig(KAFKA, topics, " ", LOCAL, null))
                .hasMessage("--transactional-id must not be blank");
        assertThatThrownBy(
                        () ->
                                new ReviewServiceConfig(
                                        KAFKA,
                                        topics,
                                        "id",
                                        InetSocketAddress.createUnresolved(
                                                "no.such.host.invalid", 1),
                                        null))
                .hasMessage("--bind no.such.host.invalid is not an address");
        assertThatThrownBy(() -> new ReviewServiceConfig(KAFKA, topics, "id", LOCAL, "X User"))
                .hasMessage("--reviewer-header 'X User' is not an HTTP header name");
    }
}
