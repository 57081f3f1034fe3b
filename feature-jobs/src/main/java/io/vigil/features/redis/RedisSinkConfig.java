package io.vigil.features.redis;

import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTopology;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;

/**
 * Where and how {@link FeastRedisWriter} and {@link FeastRedisSink} write the Feast layout.
 *
 * <ul>
 *   <li>{@code topology}: one Redis server, a Redis Cluster's seed nodes, or Sentinels and the name
 *       of the primary they watch (required, no default).
 *   <li>{@code auth}: how to authenticate (user, password, TLS); {@link RedisAuth#NONE} for the
 *       local stack.
 *   <li>{@code project}: the Feast project, the suffix of every key (must equal {@code project} in
 *       feature_store.yaml).
 *   <li>{@code ttl}: PEXPIRE set on an entity's key at each write that changes it; {@link
 *       Duration#ZERO} keeps keys forever. The key holds every view of the entity, so the TTL
 *       counts from the newest write of any view.
 *   <li>{@code batchSize}: entities the sink buffers (their writes coalesced) before one pipelined
 *       round trip.
 *   <li>{@code flushInterval}: longest time a buffered write waits when fewer than batchSize
 *       entities arrive (bounds the freshness cost of batching at low rates).
 *   <li>{@code initialBackoff}, {@code maxBackoff}: retry delay while Redis is unavailable, doubled
 *       after each failure up to the cap. Writes block meanwhile; rows are never dropped.
 *   <li>{@code timeout}: connect and socket timeout of one Redis call.
 * </ul>
 *
 * All checks are in the constructor.
 */
public record RedisSinkConfig(
        RedisTopology topology,
        RedisAuth auth,
        String project,
        Duration ttl,
        int batchSize,
        Duration flushInterval,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration timeout)
        implements Serializable {

    /**
     * Large enough for coalescing to matter in a catch-up (a batch then spans hours of event time);
     * at live rates the flush interval sends far smaller batches.
     */
    public static final int DEFAULT_BATCH_SIZE = 5_000;

    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(10);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(50);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public RedisSinkConfig {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(auth, "auth (use RedisAuth.NONE for none)");
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("feast project is required");
        }
        Objects.requireNonNull(ttl, "ttl (use Duration.ZERO for no expiry)");
        if (ttl.isNegative() || (!ttl.isZero() && ttl.toMillis() == 0)) {
            throw new IllegalArgumentException("ttl must be zero (none) or >= 1 ms, got " + ttl);
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("batchSize must be in 1..100000, got " + batchSize);
        }
        requireMillis("flushInterval", flushInterval);
        requireMillis("initialBackoff", initialBackoff);
        requireMillis("maxBackoff", maxBackoff);
        requireMillis("timeout", timeout);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
        }
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout is too long: " + timeout);
        }
    }

    /** One server, no authentication, no TTL, default batching, backoff and timeout. */
    public static RedisSinkConfig of(String host, int port, String project) {
        return of(RedisTopology.single(host, port), project);
    }

    /** No authentication, no TTL, default batching, backoff and timeout. */
    public static RedisSinkConfig of(RedisTopology topology, String project) {
        return new RedisSinkConfig(
                topology,
                RedisAuth.NONE,
                project,
                Duration.ZERO,
                DEFAULT_BATCH_SIZE,
                DEFAULT_FLUSH_INTERVAL,
                DEFAULT_INITIAL_BACKOFF,
                DEFAULT_MAX_BACKOFF,
                DEFAULT_TIMEOUT);
    }

    public RedisSinkConfig withAuth(RedisAuth newAuth) {
        return new RedisSinkConfig(
                topology,
                newAuth,
                project,
                ttl,
                batchSize,
                flushInterval,
                initialBackoff,
                maxBackoff,
                timeout);
    }

    public RedisSinkConfig withTtl(Duration newTtl) {
        return new RedisSinkConfig(
                topology,
                auth,
                project,
                newTtl,
                batchSize,
                flushInterval,
                initialBackoff,
                maxBackoff,
                timeout);
    }

    public RedisSinkConfig withBatching(int newBatchSize, Duration newFlushInterval) {
        return new RedisSinkConfig(
                topology,
                auth,
                project,
                ttl,
                newBatchSize,
                newFlushInterval,
                initialBackoff,
                maxBackoff,
                timeout);
    }

    public RedisSinkConfig withBackoff(Duration newInitial, Duration newMax) {
        return new RedisSinkConfig(
                topology,
                auth,
                project,
                ttl,
                batchSize,
                flushInterval,
                newInitial,
                newMax,
                timeout);
    }

    /**
     * A client of this topology with this timeout and authentication; {@code clientName} is what
     * Redis's CLIENT LIST shows. A single server's client connects on first use, the others now
     * ({@link RedisConnections#open}).
     */
    public UnifiedJedis newClient(String clientName) {
        return RedisConnections.open(topology, auth, timeout, clientName);
    }

    /** The same client, opened on first use whatever the topology. */
    public RedisConnections.LazyClient lazyClient(String clientName) {
        return RedisConnections.lazy(topology, auth, timeout, clientName);
    }

    private static void requireMillis(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be >= 1 ms, got " + d);
        }
    }
}
