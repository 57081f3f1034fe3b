package io.vigil.features.redis;

import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTlsStores;
import java.time.Duration;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.UnifiedJedis;

/** Redis clients of the jobs: one place that applies a {@link RedisAuth} and the timeouts. */
public final class RedisConnections {

    private RedisConnections() {}

    /**
     * A pooled client of {@code host:port}, authenticated as {@code auth}, whose connects and
     * replies wait at most {@code timeout} (at least 1 ms), named {@code clientName} in {@code
     * CLIENT LIST}. With {@code cluster}, {@code host:port} is one node of a Redis Cluster: the
     * client discovers the others, sends each key's commands (pipelines included) to the node that
     * holds its slot, and loads scripts on every node.
     */
    public static UnifiedJedis open(
            String host,
            int port,
            boolean cluster,
            RedisAuth auth,
            Duration timeout,
            String clientName) {
        int timeoutMillis = (int) Math.max(1, timeout.toMillis());
        DefaultJedisClientConfig.Builder config =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(timeoutMillis)
                        .socketTimeoutMillis(timeoutMillis)
                        .clientName(clientName)
                        .user(auth.user())
                        .password(auth.password())
                        .ssl(auth.tls());
        if (auth.tlsStores() != null) {
            config.sslOptions(sslOptions(auth.tlsStores()));
        }
        if (cluster) {
            return RedisClusterClient.builder()
                    .nodes(Set.of(new HostAndPort(host, port)))
                    .clientConfig(config.build())
                    .build();
        }
        return RedisClient.builder().hostAndPort(host, port).clientConfig(config.build()).build();
    }

    /** TLS with the given stores, checking the server's certificate and host name. */
    private static SslOptions sslOptions(RedisTlsStores stores) {
        SslOptions.Builder options = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL);
        if (stores.hasTrustStore()) {
            options.truststore(stores::trustStore, stores.password()).trustStoreType("PKCS12");
        }
        if (stores.hasKeyStore()) {
            options.keystore(stores::keyStore, stores.password()).keyStoreType("PKCS12");
        }
        return options.build();
    }
}
