package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testkit.RedisExtension;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;

/** {@link RedisEvictionPolicy} against redis-server configured as managed services often are. */
class RedisEvictionPolicyITCase {

    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    @RegisterExtension static final RedisExtension CLUSTER = RedisExtension.cluster();

    @AfterEach
    void noLimit() throws IOException {
        configure("0", "noeviction");
    }

    @Test
    void withoutAMemoryLimitOrWithNoevictionNothingIsEvicted() throws IOException {
        assertThat(risk(REDIS, true)).isEmpty();
        configure("1gb", "noeviction");
        assertThat(risk(REDIS, true)).isEmpty();
        try (UnifiedJedis cluster =
                RedisSinkConfig.of(CLUSTER.topology(), "vigil").newClient("t")) {
            assertThat(RedisEvictionPolicy.risk(cluster, "cluster", true)).isEmpty();
        }
    }

    @Test
    void allKeysPoliciesEvictVigilsKeysVolatileOnesOnlyWithATtl() throws IOException {
        configure("1gb", "allkeys-lru");
        assertThat(risk(REDIS, false))
                .hasValueSatisfying(
                        warning ->
                                assertThat(warning)
                                        .startsWith("Redis at " + REDIS.host() + ":" + REDIS.port())
                                        .contains(
                                                "maxmemory 1073741824 bytes, maxmemory-policy"
                                                        + " allkeys-lru")
                                        .contains("noeviction"));

        configure("1gb", "volatile-ttl");
        assertThat(risk(REDIS, false)).isEmpty();
        assertThat(risk(REDIS, true)).get().asString().contains("volatile-ttl");
    }

    private static Optional<String> risk(RedisExtension redis, boolean keysExpire) {
        RedisSinkConfig config = RedisSinkConfig.of(redis.topology(), "vigil");
        try (UnifiedJedis client = config.newClient("vigil-test")) {
            return RedisEvictionPolicy.risk(client, config.topology().toString(), keysExpire);
        }
    }

    private static void configure(String maxmemory, String policy) throws IOException {
        assertThat(REDIS.sendToEveryNode("CONFIG SET maxmemory " + maxmemory)).containsOnly("+OK");
        assertThat(REDIS.sendToEveryNode("CONFIG SET maxmemory-policy " + policy))
                .containsOnly("+OK");
    }
}
