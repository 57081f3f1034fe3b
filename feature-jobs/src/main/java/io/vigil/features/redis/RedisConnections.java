package io.vigil.features.redis;

import io.vigil.schemas.redis.RedisAuth;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** Redis clients of the jobs: one place that applies a {@link RedisAuth} and the timeouts. */
public final class RedisConnections {

    private RedisConnections() {}

    /**
     * A pooled client of {@code host:port}, authenticated as {@code auth}, whose connects and
     * replies wait at most {@code timeout} (at least 1 ms), named {@code clientName} in {@code
     * CLIENT LIST}.
     */
    public static RedisClient open(
            String host, int port, RedisAuth auth, Duration timeout, String clientName) {
        int timeoutMillis = (int) Math.max(1, timeout.toMillis());
        return RedisClient.builder()
                .hostAndPort(host, port)
                .clientConfig(
                        DefaultJedisClientConfig.builder()
                                .connectionTimeoutMillis(timeoutMillis)
                                .socketTimeoutMillis(timeoutMillis)
                                .clientName(clientName)
                                .user(auth.user())
                                .password(auth.password())
                                .ssl(auth.tls())
                                .build())
                .build();
    }
}
