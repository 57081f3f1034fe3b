package io.vigil.scoring.lookup;

import io.vigil.features.redis.RedisConnections;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Fetches the customer's and the terminal's history snapshots ({@code _vigil_history:<view>} of
 * their Feast-layout keys) without blocking the caller.
 *
 * <p>One I/O thread drains the queue of pending lookups and sends everything queued as one pipeline
 * (two HGETs per lookup, and one GET of the store's {@link OnlineStoreReset} key per batch): a
 * single lookup costs one round trip, and under load lookups batch themselves while the previous
 * round trip is in flight. When a round trip fails, its lookups fail with {@link
 * LookupFailedException}; after {@value #FAILURES_TO_OPEN} failed round trips in a row, new lookups
 * fail at once for {@code retryInterval} instead of waiting on a dead Redis, then the next batch
 * tries again. One slow reply (a GC pause, a busy host) so costs only its own batch.
 *
 * <p>Redis refusing the credentials ({@code NOAUTH}, {@code WRONGPASS}, {@code NOPERM}) opens the
 * circuit at once: it does not heal by itself. Each outage is logged once when it opens, and once
 * more if Redis starts refusing the credentials during it; every failed lookup's exception names
 * the last failure.
 */
public final class RedisHistoryLookup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisHistoryLookup.class);
    private static final FeatureViewSpec CUSTOMER = FeatureViews.CUSTOMER_SPENDING;
    private static final FeatureViewSpec TERMINAL = FeatureViews.TERMINAL_RISK;
    private static final int FAILURES_TO_OPEN = 3;

    /**
     * Raw snapshot bytes of both views (null for an entity without one) and the store's {@link
     * OnlineStoreReset} time, which says whether "without one" can be trusted.
     */
    public record Snapshots(byte[] customer, byte[] terminal, long storeResetAtMillis) {}

    /** The lookup did not reach Redis or Redis refused it. */
    public static final class LookupFailedException extends RuntimeException {
        public LookupFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Pending(
            String customerId, String terminalId, CompletableFuture<Snapshots> result) {}

    private final RedisAuth auth;
    private final String project;
    private final int maxBatch;
    private final long retryIntervalNanos;
    // Opened on the I/O thread by the first batch.
    private final RedisConnections.LazyClient client;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private final byte[] resetKey;
    private final byte[] customerField = CUSTOMER.historyField();
    private final byte[] terminalField = TERMINAL.historyField();
    private volatile boolean closed;
    private volatile long downUntilNanos;
    private volatile String lastFailure = "";
    private int failuresInARow;
    private boolean down;
    private boolean refusalLogged;

    public RedisHistoryLookup(
            RedisTopology topology,
            RedisAuth auth,
            String project,
            Duration timeout,
            Duration retryInterval,
            int maxBatch) {
        this.auth = auth;
        this.project = project;
        this.resetKey = OnlineStoreReset.key(project);
        this.maxBatch = maxBatch;
        this.retryIntervalNanos = retryInterval.toNanos();
        this.client = RedisConnections.lazy(topology, auth, timeout, "vigil-scoring-lookup");
        this.queue = new ArrayBlockingQueue<>(Math.max(1024, 8 * maxBatch));
        this.thread = new Thread(this::run, "vigil-redis-lookup-" + topology.addresses().get(0));
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a lookup; the future fails with {@link LookupFailedException} if Redis does. */
    public CompletableFuture<Snapshots> lookup(String customerId, String terminalId) {
        CompletableFuture<Snapshots> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new RejectedExecutionException("lookup client closed"));
        } else if (System.nanoTime() < downUntilNanos) {
            result.completeExceptionally(unavailable());
        } else if (!queue.offer(new Pending(customerId, terminalId, result))) {
            result.completeExceptionally(
                    new LookupFailedException("lookup queue full: Redis is too slow", null));
        }
        return result;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(drain(), new RejectedExecutionException("lookup client closed"));
        client.close();
    }

    private void run() {
        while (!closed) {
            List<Pending> batch;
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() < downUntilNanos) {
                failAll(batch, unavailable());
                continue;
            }
            execute(batch);
        }
    }

    private void execute(List<Pending> batch) {
        // Per transaction its customer's key, then its terminal's.
        List<byte[]> keys = new ArrayList<>(2 * batch.size());
        for (Pending p : batch) {
            keys.add(CUSTOMER.redisKey(p.customerId, project));
            keys.add(TERMINAL.redisKey(p.terminalId, project));
        }
        List<Response<byte[]>> responses = new ArrayList<>(keys.size());
        try {
            Response<byte[]> resetAt;
            try (AbstractPipeline pipeline = RedisConnections.pipelined(client.get())) {
                resetAt = pipeline.get(resetKey);
                for (int k = 0; k < keys.size(); k++) {
                    responses.add(pipeline.hget(keys.get(k), field(k)));
                }
                pipeline.sync();
            }
            long storeResetAt =
                    OnlineStoreReset.parse(followed(resetAt, () -> client.get().get(resetKey)));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i)
                        .result
                        .complete(
                                new Snapshots(
                                        snapshot(responses, keys, 2 * i),
                                        snapshot(responses, keys, 2 * i + 1),
                                        storeResetAt));
            }
            failuresInARow = 0;
            if (down) {
                down = false;
                refusalLogged = false;
                LOG.info("Redis answers again; feature lookups resume");
            }
        } catch (RuntimeException e) {
            failed(batch, e);
        }
    }

    private byte[] field(int k) {
        return k % 2 == 0 ? customerField : terminalField;
    }

    private byte[] snapshot(List<Response<byte[]>> responses, List<byte[]> keys, int k) {
        return followed(responses.get(k), () -> client.get().hget(keys.get(k), field(k)));
    }

    /**
     * A pipelined reply, or for a key whose slot is being migrated between cluster nodes (ASK) or
     * moved since the client mapped the slots (MOVED), the same read sent alone: the cluster client
     * follows the redirection, and refreshes its slot map on MOVED, which its pipeline cannot. So a
     * resharding costs these few reads a round trip each, not their batch a fallback.
     */
    private static byte[] followed(Response<byte[]> reply, Supplier<byte[]> alone) {
        try {
            return reply.get();
        } catch (JedisRedirectionException e) {
            return alone.get();
        }
    }

    private void failed(List<Pending> batch, RuntimeException e) {
        client.discard();
        JedisAccessControlException refusal = refusal(e);
        String reason = refusal == null ? e.toString() : refusal.getMessage();
        lastFailure = reason;
        failuresInARow++;
        long retryMillis = TimeUnit.NANOSECONDS.toMillis(retryIntervalNanos);
        if (refusal != null && !refusalLogged) {
            down = true;
            refusalLogged = true;
            LOG.error(
                    "Redis refused the feature lookups as {}: {}; decisions fall back until it"
                            + " accepts them (check --redis-user and --redis-password-file),"
                            + " retrying every {} ms",
                    auth,
                    reason,
                    retryMillis);
        } else if (failuresInARow >= FAILURES_TO_OPEN && !down) {
            down = true;
            LOG.warn(
                    "Redis lookups failed {} times in a row ({}); decisions fall back"
                            + " until it answers, retrying every {} ms",
                    failuresInARow,
                    reason,
                    retryMillis);
        }
        if (down) {
            downUntilNanos = System.nanoTime() + retryIntervalNanos;
        }
        failAll(batch, new LookupFailedException("Redis lookup failed: " + reason, e));
    }

    private LookupFailedException unavailable() {
        return new LookupFailedException(
                "Redis unavailable (retrying shortly): " + lastFailure, null);
    }

    private static JedisAccessControlException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisAccessControlException refused) {
                return refused;
            }
        }
        return null;
    }

    private List<Pending> drain() {
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        return rest;
    }

    private static void failAll(List<Pending> batch, RuntimeException cause) {
        for (Pending p : batch) {
            p.result.completeExceptionally(cause);
        }
    }
}
