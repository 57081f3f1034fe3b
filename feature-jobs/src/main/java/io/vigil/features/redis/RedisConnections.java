package io.vigil.features.redis;

import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTlsStores;
import io.vigil.schemas.redis.RedisTopology;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.apache.flink.util.concurrent.Executors;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultRedisCredentials;
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
     * A pooled client of {@code topology}, authenticated as {@code auth}, whose connects and
     * replies wait at most {@code timeout} (at least 1 ms), named {@code clientName} in {@code
     * CLIENT LIST}.
     *
     * <ul>
     *   <li>One server: the client connects on first use.
     *   <li>A Redis Cluster: the client maps the slots here, from the first seed node that answers,
     *       then sends each key's commands (pipelines included) to the node that holds its slot and
     *       loads scripts on every node. A cluster it cannot map fails with the {@link
     *       JedisAccessControlException} of a refused login, if that was the reason, else with a
     *       {@link JedisConnectionException}, as the same failures do on first use.
     *   <li>Sentinels: the client asks them, in order until one answers, for the primary of that
     *       name (failing as a cluster client does) and follows its failovers through all of them;
     *       the Sentinels get no credentials, only the same TLS settings.
     * </ul>
     */
    public static UnifiedJedis open(
            RedisTopology topology, RedisAuth auth, Duration timeout, String clientName) {
        DefaultJedisClientConfig.Builder config = connection(auth, timeout, clientName);
        if (auth.password() != null) {
            // Asked at every new connection: a rotated password file reaches the next reconnect.
            config.credentialsProvider(
                    () -> new DefaultRedisCredentials(auth.user(), auth.currentPassword()));
        }
        Set<HostAndPort> addresses = new LinkedHashSet<>();
        for (RedisTopology.Address a : topology.addresses()) {
            addresses.add(new HostAndPort(a.host(), a.port()));
        }
        if (topology.sentinelPrimary() != null) {
            // Sentinel connections speak RESP2 either way; this skips Jedis's warning that they
            // cannot negotiate.
            DefaultJedisClientConfig.Builder sentinelConfig =
                    connection(auth, timeout, clientName).serverDefaultProtocol();
            try {
                return RedisSentinelClient.builder()
                        .masterName(topology.sentinelPrimary())
                        .sentinels(addresses)
                        .clientConfig(config.build())
                        .sentinelClientConfig(sentinelConfig.build())
                        .build();
            } catch (JedisAccessControlException | JedisConnectionException e) {
                throw e;
            } catch (JedisException e) {
                throw new JedisConnectionException(topology + ": " + e.getMessage(), e);
            }
        }
        if (topology.cluster()) {
            try {
                return RedisClusterClient.builder()
                        .nodes(addresses)
                        .clientConfig(config.build())
                        .build();
            } catch (JedisClusterOperationException e) {
                throw unmappedCluster(topology, e);
            }
        }
        return RedisClient.builder()
                .hostAndPort(addresses.iterator().next())
                .clientConfig(config.build())
                .build();
    }

    /**
     * A client opened by its first {@link LazyClient#get}, so that a Redis Cluster or Sentinels
     * that are down when a job starts are an outage to wait out, not a failed constructor (their
     * clients connect when created). Confined to one thread, as a pipeline is.
     */
    public static LazyClient lazy(
            RedisTopology topology, RedisAuth auth, Duration timeout, String clientName) {
        return new LazyClient(() -> open(topology, auth, timeout, clientName));
    }

    /** See {@link #lazy}. */
    public static final class LazyClient implements AutoCloseable {

        private final Supplier<UnifiedJedis> open;
        private UnifiedJedis client;

        private LazyClient(Supplier<UnifiedJedis> open) {
            this.open = open;
        }

        /** The client, opened now if it is not yet; throws as {@link #open} does. */
        public UnifiedJedis get() {
            if (client == null) {
                client = open.get();
            }
            return client;
        }

        /**
         * After a failed call: the next {@link #get} opens a new client. A Redis Cluster client's
         * pipelines keep sending to the node its map of slots names, even after that node died and
         * a replica took its slots over, and the map is only made afresh by a new client. A new
         * pool also drops the other connections that a restart of the server broke.
         */
        public void discard() {
            close();
            client = null;
        }

        @Override
        public void close() {
            if (client != null) {
                client.close();
            }
        }
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
            RedisTopology topology, JedisClusterOperationException e) {
        StringBuilder reasons = new StringBuilder();
        for (Throwable node : e.getSuppressed()) {
            if (node instanceof JedisAccessControlException refused) {
                return refused;
            }
            reasons.append("; ").append(node.getMessage());
        }
        return new JedisConnectionException(topology + ": " + e.getMessage() + reasons, e);
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
