package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.redis.RedisAuth;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSinkConfigTest {
    private static final RedisSinkConfig OK = RedisSinkConfig.of("127.0.0.1", 6379, "vigil");

    @Test
    void defaults() {
        assertThat(OK.ttl()).isZero();
        assertThat(OK.batchSize()).isEqualTo(RedisSinkConfig.DEFAULT_BATCH_SIZE);
        assertThat(OK.withTtl(Duration.ofDays(40)).ttl()).isEqualTo(Duration.ofDays(40));
        assertThat(OK.withBatching(7, Duration.ofMillis(3)).batchSize()).isEqualTo(7);
        assertThat(OK.withBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).maxBackoff())
                .isEqualTo(Duration.ofMillis(2));
    }

    @Test
    void authenticationIsKeptByEveryChangeAndMaskedInText() {
        RedisAuth auth = new RedisAuth("features", "s3cret", true);

        RedisSinkConfig config =
                OK.withAuth(auth)
                        .withTtl(Duration.ofDays(1))
                        .withBatching(7, Duration.ofMillis(3))
                        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(2));

        assertThat(OK.auth()).isEqualTo(RedisAuth.NONE);
        assertThat(config.auth()).isEqualTo(auth);
        assertThat(config.toString()).contains("user=features").doesNotContain("s3cret");
        assertThatThrownBy(() -> OK.withAuth(null)).hasMessageContaining("auth");
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatThrownBy(() -> RedisSinkConfig.of(" ", 6379, "vigil"))
                .hasMessageContaining("host");
        assertThatThrownBy(() -> RedisSinkConfig.of("h", 0, "vigil")).hasMessageContaining("port");
        assertThatThrownBy(() -> RedisSinkConfig.of("h", 70_000, "vigil"))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> RedisSinkConfig.of("h", 1, "")).hasMessageContaining("project");
        assertThatThrownBy(() -> OK.withTtl(Duration.ofMillis(-1))).hasMessageContaining("ttl");
        assertThatThrownBy(() -> OK.withTtl(Duration.ofNanos(10))).hasMessageContaining("ttl");
        assertThatThrownBy(() -> OK.withTtl(null)).hasMessageContaining("ttl");
        assertThatThrownBy(() -> OK.withBatching(0, Duration.ofMillis(1)))
                .hasMessageContaining("batchSize");
        assertThatThrownBy(() -> OK.withBatching(10, Duration.ZERO))
                .hasMessageContaining("flushInterval");
        assertThatThrownBy(() -> OK.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("maxBackoff");
    }
}
