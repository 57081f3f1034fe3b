package io.vigil.features.redis;

import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTlsStores;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.flink.util.concurrent.Executors;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Redis clients of the jobs: one place that applies a {@link RedisAuth}, the timeouts and the
 * topology (a single server, a Redis Cluster, or a primary found through a Sentinel).
 */
public final class RedisConnections {

    private static final ExecutorService SYNC_ON_CALLER = Executors.newDirectExecutorService();

    private RedisConnections() {}

    /**
     * A pooled client of {@code host:port}, authenticated as {@code auth}, whose connects and
     * replies wait at most {@code timeout} (at least 1 ms), named {@code clientName} in {@code
     * CLIENT LIST}. With {@code cluster}, {@code host:port} is one node of a Redis Cluster: the
     * client discovers the others, sends each key's commands (pipelines included) to the node that
     * holds its slot, and loads scripts on every node. Unlike a single server's client, which
     * connects on first use, a cluster client connects here to map the slots: a cluster it cannot
     * map fails with the {@link JedisAccessControlException} of a refused login, if that was the
     * reason, else with a {@link JedisConnectionException}, as the same failures do on first use.
     * With a {@code sentinelPrimary} name, {@code host:port} is a Redis Sentinel: the client asks
     * it for the primary of that name when created (failing as a cluster client does) and follows
     * its failovers; the Sentinel itself gets no credentials, only the same TLS settings.
     */
    public static UnifiedJedis open(
            String host,
            int port,
            boolean cluster,
            String sentinelPrimary,
            RedisAuth auth,
            Duration timeout,
            String clientName) {
        DefaultJedisClientConfig.Builder config =
                connection(auth, timeout, clientName).user(auth.user()).password(auth.password());
        if (sentinelPrimary != null) {
            // Sentinel connections speak RESP2 either way; this skips Jedis's warning that they
            // cannot negotiate.
            DefaultJedisClientConfig.Builder sentinelConfig =
                    connection(auth, timeout, clientName).serverDefaultProtocol();
            try {
                return RedisSentinelClient.builder()
                        .masterName(sentinelPrimary)
                        .sentinels(Set.of(new HostAndPort(host, port)))
                        .clientConfig(config.build())
                        .sentinelClientConfig(sentinelConfig.build())
                        .build();
            } catch (JedisAccessControlException | JedisConnectionException e) {
                throw e;
            } catch (JedisException e) {
                throw new JedisConnectionException(
                        "Redis Sentinel at "
                                + host
                                + ":"
                                + port
                                + " (primary "
                                + sentinelPrimary
                                + "): "
                                + e.getMessage(),
                        e);
            }
        }
        if (cluster) {
            try {
                return RedisClusterClient.builder()
                        .nodes(Set.of(new HostAndPort(host, port)))
                        .clientConfig(config.build())
                        .build();
            } catch (JedisClusterOperationException e) {
                throw unmappedCluster(host, port, e);
            }
        }
        return RedisClient.builder().hostAndPort(host, port).clientConfig(config.build()).build();
    }

    /** Timeouts, name and TLS of a connection, to Redis or to a Sentinel. */
    private static DefaultJedisClientConfig.Builder connection(
            RedisAuth auth, Duration timeout, String clientName) {
        int timeoutMillis = (int) Math.max(1, timeout.toMillis());
        DefaultJedisClientConfig.Builder config =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(timeoutMillis)
                        .socketTimeoutMillis(timeoutMillis)
                        .clientName(clientName)
                        .ssl(auth.tls());
        if (auth.tlsStores() != null) {
            config.sslOptions(sslOptions(auth.tlsStores()));
        }
        return config;
    }

    /**
     * A pipeline on {@code client}. A cluster client's pipeline sends each node its share and syncs
     * the nodes one after the other on the calling thread: Jedis's default starts a thread pool for
     * every sync, which cost about a millisecond per lookup batch (bench/redis-lookup.sh).
     */
    public static AbstractPipeline pipelined(UnifiedJedis client) {
        return client instanceof RedisClusterClient cluster
                ? cluster.pipelined(SYNC_ON_CALLER)
                : client.pipelined();
    }

    /** Jedis says why it could not map the slots in the suppressed exceptions, one per node. */
    private static JedisException unmappedCluster(
            String host, int port, JedisClusterOperationException e) {
        StringBuilder reasons = new StringBuilder();
        for (Throwable node : e.getSuppressed()) {
            if (node instanceof JedisAccessControlException refused) {
                return refused;
            }
            reasons.append("; ").append(node.getMessage());
        }
        return new JedisConnectionException(
                "Redis Cluster at " + host + ":" + port + ": " + e.getMessage() + reasons, e);
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
