package io.vigil.features.redis;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureRowCodec;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.feast.ProtoTimestampCodec;
import io.vigil.schemas.history.OnlineStoreReset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.SetParams;

/**
 * Writes {@link OnlineStoreWrite}s (Feast rows and Vigil's history snapshots) into Redis in Feast's
 * layout, atomically last-writer-wins per group of fields.
 *
 * <p>One {@link #write} call is one pipelined round trip: a SET NX of the store's {@link
 * OnlineStoreReset} key (so the scoring job can tell a new entity from a lost one) and one EVALSHA
 * of {@link LwwWriteScript} per write, which writes the row's feature fields and {@code _ts:<view>}
 * only when its event time is strictly newer than the stored one (equal → skipped, as Feast does),
 * and the snapshot's {@code _vigil_history:<view>} and {@code _vigil_ts:<view>} when its as-of time
 * is at least the stored one (equal → overwritten), then refreshes the TTL. So replays, restarts
 * and concurrent writers can never let an older event overwrite a newer one, and writing twice is
 * harmless.
 *
 * <p>On a Redis Cluster, a write whose key's slot is being migrated (ASK) or moved since the client
 * mapped the slots (MOVED) is sent once more alone, which follows the redirection. While Redis is
 * unreachable (connection errors, or LOADING/BUSY/TRYAGAIN/CLUSTERDOWN replies, e.g. during a
 * failover), the call retries the whole batch with capped exponential backoff and a new client, and
 * blocks: it never drops rows. It logs once when an outage starts and once when it ends. A refusal
 * of the credentials or permissions ({@code NOAUTH}, {@code WRONGPASS}, {@code NOPERM}) fails the
 * call at once, naming the server and user. Other Redis errors (e.g. a key holding another type)
 * fail the call with the view and entity. Not thread-safe: one writer per thread.
 */
public final class FeastRedisWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeastRedisWriter.class);
    // MOVED and ASK left over (the reset key's, or a redirection the cluster client gave up
    // following): the retry maps the slots afresh.
    private static final List<String> TRANSIENT_ERRORS =
            List.of("LOADING", "BUSY", "TRYAGAIN", "MOVED", "ASK", "CLUSTERDOWN");

    /** Told about each retry, e.g. to count them in a metric. */
    @FunctionalInterface
    public interface RetryListener {
        void onRetry(Exception cause);
    }

    /**
     * Outcome of one batch of writes: {@code applied} has bit i set when the Feast row of write i
     * was written, clear when it was skipped as not newer or the write had none ({@code
     * historyApplied} likewise for its snapshot); after a connection failure a re-sent write that
     * had already landed counts as skipped. {@code rows} and {@code histories} are how many writes
     * carried each group. {@code storeResetFound}: this batch found the store emptied or replaced
     * (its reset key gone) and marked it. {@code ackTimeMillis} is the wall-clock time Redis
     * acknowledged the batch.
     */
    public record Result(
            int rows,
            BitSet applied,
            int histories,
            BitSet historyApplied,
            boolean storeResetFound,
            long ackTimeMillis) {
        /** Feast rows written. */
        public int written() {
            return applied.cardinality();
        }

        /** Feast rows skipped because Redis held a row as new or newer. */
        public int stale() {
            return rows - written();
        }

        public int historyWritten() {
            return historyApplied.cardinality();
        }

        /** Snapshots skipped because Redis held a newer one. */
        public int historyStale() {
            return histories - historyWritten();
        }
    }

    private static final byte[] ABSENT = new byte[0];
    private static final byte[] LWW_SOURCE = LwwWriteScript.SOURCE.getBytes(StandardCharsets.UTF_8);

    private final RedisSinkConfig config;
    private final RedisConnections.LazyClient client;
    private final Map<String, ViewFields> views;
    private final RetryListener retryListener;
    private final AtomicLong retries = new AtomicLong();
    private final byte[] ttlMillis;
    private final byte[] resetKey;
    // After the first batch of a writer that started without state, a missing reset key means the
    // store was emptied or replaced.
    private boolean resetSince;
    private long latestEventTime = OnlineStoreReset.UNKNOWN;
    private byte[] scriptSha;
    private boolean evictionChecked;
    // Set by the batch in flight, for its Result.
    private boolean storeResetFound;

    /** A writer for the v1 {@link FeatureViews}, with its own Redis client. */
    public FeastRedisWriter(RedisSinkConfig config, RetryListener retryListener) {
        this(config, FeatureViews.ALL, retryListener);
    }

    public FeastRedisWriter(
            RedisSinkConfig config, List<FeatureViewSpec> views, RetryListener retryListener) {
        this.config = config;
        this.views =
                views.stream().collect(Collectors.toMap(FeatureViewSpec::name, ViewFields::of));
        this.retryListener = retryListener;
        this.ttlMillis = ascii(config.ttl().toMillis());
        this.resetKey = OnlineStoreReset.key(config.project());
        this.client = config.lazyClient("vigil-feast-writer");
    }

    /**
     * Tells the writer that its job was restored from a checkpoint: the store may have lost writes
     * while the job was down, so a missing {@link OnlineStoreReset} key is a reset, not a new
     * store.
     */
    public void restoredFromCheckpoint() {
        resetSince = true;
    }

    /** Total retries since this writer was created. */
    public long retries() {
        return retries.get();
    }

    /**
     * Writes {@code writes} (in order) with one pipelined round trip, retrying while Redis is
     * unavailable.
     *
     * @throws IllegalArgumentException if a write does not fit its view (nothing is written)
     * @throws IllegalStateException if Redis refuses the credentials or permissions ({@code
     *     NOAUTH}, {@code WRONGPASS}, {@code NOPERM}), or rejects a write
     * @throws InterruptedException if interrupted while waiting to retry (writes may be partly
     *     done)
     */
    public Result write(List<OnlineStoreWrite> writes) throws InterruptedException {
        List<EncodedWrite> encoded = new ArrayList<>(writes.size());
        int rows = 0;
        int histories = 0;
        for (OnlineStoreWrite w : writes) {
            encoded.add(encode(w));
            rows += w.features == null ? 0 : 1;
            histories += w.history == null ? 0 : 1;
            latestEventTime =
                    Math.max(
                            latestEventTime,
                            w.features == null ? w.historyAsOfMillis : w.features.eventTimeMillis);
        }
        storeResetFound = false;
        long backoff = config.initialBackoff().toMillis();
        long outageStart = 0;
        int attempt = 0;
        while (true) {
            try {
                long[] outcomes = execute(encoded);
                if (attempt > 0) {
                    LOG.info(
                            "{} is back after {} retries in {} ms; the held {} writes are done",
                            config.topology(),
                            attempt,
                            System.currentTimeMillis() - outageStart,
                            writes.size());
                }
                BitSet applied = new BitSet(outcomes.length);
                BitSet historyApplied = new BitSet(outcomes.length);
                for (int i = 0; i < outcomes.length; i++) {
                    applied.set(i, (outcomes[i] & LwwWriteScript.FEAST_WRITTEN) != 0);
                    historyApplied.set(i, (outcomes[i] & LwwWriteScript.HISTORY_WRITTEN) != 0);
                }
                return new Result(
                        rows,
                        applied,
                        histories,
                        historyApplied,
                        storeResetFound,
                        System.currentTimeMillis());
            } catch (JedisConnectionException | TransientRedisError e) {
                client.discard();
                if (attempt == 0) {
                    outageStart = System.currentTimeMillis();
                    LOG.warn(
                            "{} is unavailable or its slots moved ({}); holding {} writes and"
                                    + " retrying with backoff up to {} ms",
                            config.topology(),
                            e.getMessage(),
                            writes.size(),
                            config.maxBackoff().toMillis());
                }
                attempt++;
                retries.incrementAndGet();
                retryListener.onRetry(e);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
            } catch (JedisAccessControlException e) {
                // A configuration error, not an outage: retrying cannot help. Jedis's message names
                // neither the server nor the user.
                throw new IllegalStateException(
                        config.topology()
                                + " refused "
                                + config.auth()
                                + ": "
                                + e.getMessage()
                                + " (check --redis-user, --redis-password-file and the user's"
                                + " ACL)",
                        e);
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private EncodedWrite encode(OnlineStoreWrite w) {
        ViewFields view = views.get(w.viewName);
        if (view == null) {
            throw new IllegalArgumentException(
                    "write "
                            + w
                            + " names unknown feature view '"
                            + w.viewName
                            + "'; known: "
                            + views.keySet());
        }
        FeatureRow row = w.features;
        if (row == null && w.history == null) {
            throw new IllegalArgumentException("write " + w + " has neither a row nor a history");
        }
        byte[][] values =
                row == null ? new byte[0][] : FeatureRowCodec.encodeValues(view.spec, row);
        List<byte[]> args = new ArrayList<>(11 + 2 * values.length);
        args.add(ttlMillis);
        if (row == null) {
            args.addAll(List.of(ABSENT, ABSENT, ABSENT, ABSENT));
        } else {
            if (!w.entityId.equals(row.entityId) || !w.viewName.equals(row.viewName)) {
                throw new IllegalArgumentException("write " + w + " carries the row " + row);
            }
            args.add(view.timestamp);
            addTimestamp(args, w, "event time", row.eventTimeMillis);
        }
        if (w.history == null) {
            args.addAll(List.of(ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT));
        } else {
            if (w.history.length == 0) {
                throw new IllegalArgumentException("write " + w + " has an empty history");
            }
            args.add(view.historyTimestamp);
            addTimestamp(args, w, "history as-of time", w.historyAsOfMillis);
            args.add(view.history);
            args.add(w.history);
        }
        for (int i = 0; i < values.length; i++) {
            args.add(view.features[i]);
            args.add(values[i]);
        }
        return new EncodedWrite(w, view.spec.redisKey(w.entityId, config.project()), args);
    }

    /** The Timestamp bytes, seconds and nanos of {@code millis}, as the script takes them. */
    private static void addTimestamp(
            List<byte[]> args, OnlineStoreWrite w, String what, long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException(
                    "write "
                            + w
                            + " has a "
                            + what
                            + " before 1970, which the LWW script cannot compare");
        }
        args.add(ProtoTimestampCodec.encodeEpochMillis(millis));
        args.add(ascii(Math.floorDiv(millis, 1000)));
        args.add(ascii(Math.floorMod(millis, 1000) * 1_000_000L));
    }

    /**
     * One pipelined pass; writes that met NOSCRIPT (script cache flushed) are sent once more.
     * Returns the script's reply per write.
     */
    private long[] execute(List<EncodedWrite> writes) {
        long[] outcomes = new long[writes.size()];
        List<Integer> pending = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            pending.add(i);
        }
        UnifiedJedis redis = client.get();
        // The first pass runs even without writes: it marks the store.
        for (int pass = 0; pass == 0 || !pending.isEmpty(); pass++) {
            if (scriptSha == null || pass > 0) {
                try {
                    scriptSha =
                            redis.scriptLoad(LwwWriteScript.SOURCE)
                                    .getBytes(StandardCharsets.US_ASCII);
                } catch (JedisDataException e) {
                    throw classified(e, "the LWW script");
                }
            }
            List<Response<Object>> responses = new ArrayList<>(pending.size());
            Response<String> marked = null;
            // In event time, as the scoring job compares it with a transaction's windows. A
            // restored writer that has written nothing yet has no time to vouch for: it waits.
            long resetAt = resetSince ? latestEventTime : OnlineStoreReset.NEVER;
            try (AbstractPipeline pipeline = RedisConnections.pipelined(redis)) {
                if (resetAt != OnlineStoreReset.UNKNOWN) {
                    marked = pipeline.set(resetKey, ascii(resetAt), SetParams.setParams().nx());
                }
                for (int i : pending) {
                    EncodedWrite w = writes.get(i);
                    responses.add(pipeline.evalsha(scriptSha, List.of(w.key), w.args));
                }
                pipeline.sync();
            }
            if (marked != null) {
                markedReset(marked, resetAt);
            }
            List<Integer> noScript = new ArrayList<>();
            for (int j = 0; j < responses.size(); j++) {
                int i = pending.get(j);
                try {
                    outcomes[i] = (Long) responses.get(j).get();
                } catch (JedisRedirectionException e) {
                    outcomes[i] = writeAlone(redis, writes.get(i));
                } catch (JedisDataException e) {
                    if (String.valueOf(e.getMessage()).startsWith("NOSCRIPT") && pass == 0) {
                        noScript.add(i);
                    } else {
                        throw classified(
                                e,
                                "the write of "
                                        + writes.get(i).write
                                        + " (key "
                                        + hex(writes.get(i).key)
                                        + ")");
                    }
                }
            }
            pending = noScript;
        }
        if (!evictionChecked) {
            evictionChecked = true;
            warnIfKeysMayBeEvicted(redis);
        }
        return outcomes;
    }

    /**
     * A write whose key's slot is moving between cluster nodes (ASK) or moved since the client
     * mapped the slots (MOVED), sent alone: the cluster client follows the redirection, and
     * refreshes its slot map on MOVED, which its pipeline cannot. The script's source rather than
     * its hash, since the node that now holds the key may never have loaded it.
     */
    private long writeAlone(UnifiedJedis redis, EncodedWrite w) {
        try {
            return (Long) redis.eval(LWW_SOURCE, List.of(w.key), w.args);
        } catch (JedisDataException e) {
            throw classified(e, "the write of " + w.write + " (key " + hex(w.key) + ")");
        }
    }

    /** Once per writer, after its first batch: a Redis that may evict keys loses snapshots. */
    private void warnIfKeysMayBeEvicted(UnifiedJedis redis) {
        try {
            RedisEvictionPolicy.risk(redis, config.topology().toString(), !config.ttl().isZero())
                    .ifPresent(LOG::warn);
        } catch (JedisException e) {
            // Managed services and least-privilege users may not allow INFO: not a reason to stop.
            LOG.info(
                    "Could not check whether {} may evict keys (INFO memory: {}); make sure its"
                            + " maxmemory-policy is noeviction",
                    config.topology(),
                    e.getMessage());
        }
    }

    /** Whether the reset key was missing and is now set; logs a store found emptied. */
    private void markedReset(Response<String> marked, long resetAt) {
        boolean created;
        try {
            created = "OK".equals(marked.get());
        } catch (JedisDataException e) {
            throw classified(e, "the online store's reset key");
        }
        if (created && resetAt != OnlineStoreReset.NEVER) {
            storeResetFound = true;
            LOG.warn(
                    "{} had lost the online store's reset key of project {}: it was emptied or"
                            + " replaced. Until every entity has been written again, the scoring"
                            + " job falls back (online_store_reset) for entities without a history"
                            + " snapshot",
                    config.topology(),
                    config.project());
        }
        resetSince = true;
    }

    /**
     * A reply error as {@link #write} handles it: a refusal of the credentials as is, a reply that
     * means "try again later" as {@link TransientRedisError}, anything else as a failure naming
     * {@code what}.
     */
    private static RuntimeException classified(JedisDataException e, String what) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof JedisAccessControlException) {
            return e;
        }
        if (TRANSIENT_ERRORS.stream().anyMatch(message::startsWith)) {
            return new TransientRedisError(message, e);
        }
        return new IllegalStateException("Redis rejected " + what + ": " + message, e);
    }

    private static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }

    private static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private record EncodedWrite(OnlineStoreWrite write, byte[] key, List<byte[]> args) {}

    /** A view's hash fields, computed once (the spec hands out copies). */
    private record ViewFields(
            FeatureViewSpec spec,
            byte[] timestamp,
            byte[] historyTimestamp,
            byte[] history,
            byte[][] features) {
        static ViewFields of(FeatureViewSpec spec) {
            byte[][] features = new byte[spec.featureCount()][];
            for (int i = 0; i < features.length; i++) {
                features[i] = spec.featureField(i);
            }
            return new ViewFields(
                    spec,
                    spec.timestampField(),
                    spec.historyTimestampField(),
                    spec.historyField(),
                    features);
        }
    }

    /** A reply that means "try again later" ({@link #TRANSIENT_ERRORS}). */
    private static final class TransientRedisError extends RuntimeException {
        TransientRedisError(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
