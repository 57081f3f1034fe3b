package io.vigil.cli.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.topics.TopicRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewServiceConfigTest {

    private static final Map<String, Object> KAFKA = Map.of("bootstrap.servers", "127.0.0.1:9092");
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void refusesWhatCannotWork() {
        TopicRegistry topics = TopicRegistry.defaults();
        assertThatThrownBy(
                        () ->
                                new ReviewServiceConfig(
                                        Map.of(), topics, "id", LOCAL, null, List.of()))
                .hasMessage("Kafka bootstrap servers are required");
        assertThatThrownBy(
                        () -> new ReviewServiceConfig(KAFKA, topics, " ", LOCAL, null, List.of()))
                .hasMessage("--transactional-id must not be blank");
        assertThatThrownBy(
                        () ->
                                new ReviewServiceConfig(
                                        KAFKA,
                                        topics,
                                        "id",
                                        InetSocketAddress.createUnresolved(
                                                "no.such.host.invalid", 1),
                                        null,
                                        List.of()))
                .hasMessage("--bind no.such.host.invalid is not an address");
        assertThatThrownBy(
                        () ->
                                new ReviewServiceConfig(
                                        KAFKA, topics, "id", LOCAL, "X User", List.of()))
                .hasMessage("--reviewer-header 'X User' is not an HTTP header name");
    }

    @Test
    void aPublicOriginIsAnHttpSchemeAHostAndAtMostAPort() {
        for (String origin :
                List.of(
                        "review.example.com",
                        "ftp://review.example.com",
                        "https://review.example.com/",
                        "https://review.example.com/queue",
                        "https://review.example.com?x=1",
                        "https://review.example.com#top",
                        "https://alice@review.example.com",
                        "https:review.example.com",
                        "https://",
                        "https://review example")) {
            assertThatThrownBy(() -> config(List.of(origin)))
                    .as(origin)
                    .hasMessage(
                            "--public-origin '"
                                    + origin
                                    + "' is not an origin: scheme http or https, host and optional"
                                    + " port, nothing after them (e.g. https://review.example.com)");
        }
    }

    @Test
    void publicOriginsAreKeptAsABrowserWritesThemInOrigin() {
        assertThat(
                        config(
                                        List.of(
                                                "HTTPS://Review.Example.com:443",
                                                "http://review.example.com:80",
                                                "http://127.0.0.1:8090"))
                                .publicOrigins())
                .containsExactly(
                        "https://review.example.com",
                        "http://review.example.com",
                        "http://127.0.0.1:8090");
    }

    private static ReviewServiceConfig config(List<String> publicOrigins) {
        return new ReviewServiceConfig(
                KAFKA, TopicRegistry.defaults(), "id", LOCAL, null, publicOrigins);
    }
}
