package io.vigil.features.redis;

import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureRowCodec;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.feast.ProtoTimestampCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Writes {@link FeatureRow}s into Redis in Feast's layout, atomically last-writer-wins per row.
 *
 * <p>One {@link #write} call is one pipelined round trip: an EVALSHA of {@link LwwWriteScript} per
 * row, which writes the row's feature fields and {@code _ts:<view>} only when its event time is
 * strictly newer than the stored one (equal → skipped, as Feast does), then refreshes the TTL. So
 * replays, restarts and concurrent writers can never let an older event overwrite a newer one, and
 * writing a row twice is harmless.
 *
 * <p>While Redis is unreachable (connection errors, or LOADING/BUSY/TRYAGAIN replies) the call
 * retries the whole batch with capped exponential backoff and blocks: it never drops rows. It logs
 * once when an outage starts and once when it ends. Other Redis errors (e.g. a key holding another
 * type) fail the call with the view and entity. Not thread-safe: one writer per thread.
 */
public final class FeastRedisWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeastRedisWriter.class);
    private static final List<String> TRANSIENT_ERRORS = List.of("LOADING", "BUSY", "TRYAGAIN");

    /** Told about each retry, e.g. to count them in a metric. */
    @FunctionalInterface
    public interface RetryListener {
        void onRetry(Exception cause);
    }

    /**
     * Outcome of one batch: {@code applied} has bit i set when row i was written, clear when it was
     * skipped as not newer (after a connection failure a re-sent row that had already landed also
     * counts as skipped). {@code ackTimeMillis} is the wall-clock time Redis acknowledged the
     * batch.
     */
    public record Result(int rows, BitSet applied, long ackTimeMillis) {
        public int written() {
            return applied.cardinality();
        }

        public int stale() {
            return rows - written();
        }
    }

    private final RedisSinkConfig config;
    private final UnifiedJedis client;
    private final Map<String, FeatureViewSpec> views;
    private final RetryListener retryListener;
    private final AtomicLong retries = new AtomicLong();
    private final byte[] ttlMillis;
    private byte[] scriptSha;

    /** A writer for the v1 {@link FeatureViews}, with its own Redis client. */
    public FeastRedisWriter(RedisSinkConfig config, RetryListener retryListener) {
        this(config, FeatureViews.ALL, retryListener);
    }

    public FeastRedisWriter(
            RedisSinkConfig config, List<FeatureViewSpec> views, RetryListener retryListener) {
        this.config = config;
        this.views =
                views.stream()
                        .collect(Collectors.toMap(FeatureViewSpec::name, Function.identity()));
        this.retryListener = retryListener;
        this.ttlMillis = ascii(config.ttl().toMillis());
        int timeout = (int) config.timeout().toMillis();
        this.client =
                RedisClient.builder()
                        .hostAndPort(config.host(), config.port())
                        .clientConfig(
                                DefaultJedisClientConfig.builder()
                                        .connectionTimeoutMillis(timeout)
                                        .socketTimeoutMillis(timeout)
                                        .clientName("vigil-feast-writer")
                                        .build())
                        .build();
    }

    /** Total retries since this writer was created. */
    public long retries() {
        return retries.get();
    }

    /**
     * Writes {@code rows} (in order) with one pipelined round trip, retrying while Redis is
     * unavailable.
     *
     * @throws IllegalArgumentException if a row does not fit its view (nothing is written)
     * @throws InterruptedException if interrupted while waiting to retry (rows may be partly
     *     written)
     */
    public Result write(List<FeatureRow> rows) throws InterruptedException {
        List<EncodedRow> encoded = new ArrayList<>(rows.size());
        for (FeatureRow row : rows) {
            encoded.add(encode(row));
        }
        long backoff = config.initialBackoff().toMillis();
        long outageStart = 0;
        int attempt = 0;
        while (true) {
            try {
                BitSet applied = execute(encoded);
                if (attempt > 0) {
                    LOG.info(
                            "Redis at {}:{} is back after {} retries in {} ms; the held {} rows are"
                                    + " written",
                            config.host(),
                            config.port(),
                            attempt,
                            System.currentTimeMillis() - outageStart,
                            rows.size());
                }
                return new Result(rows.size(), applied, System.currentTimeMillis());
            } catch (JedisConnectionException | TransientRedisError e) {
                if (attempt == 0) {
                    outageStart = System.currentTimeMillis();
                    LOG.warn(
                            "Redis at {}:{} is unavailable ({}); holding {} rows and retrying with"
                                    + " backoff up to {} ms",
                            config.host(),
                            config.port(),
                            e.getMessage(),
                            rows.size(),
                            config.maxBackoff().toMillis());
                }
                attempt++;
                retries.incrementAndGet();
                retryListener.onRetry(e);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private EncodedRow encode(FeatureRow row) {
        FeatureViewSpec view = views.get(row.viewName);
        if (view == null) {
            throw new IllegalArgumentException(
                    "row "
                            + row
                            + " names unknown feature view '"
                            + row.viewName
                            + "'; known: "
                            + views.keySet());
        }
        if (row.eventTimeMillis < 0) {
            throw new IllegalArgumentException(
                    "row "
                            + row
                            + " has an event time before 1970, which the LWW script cannot"
                            + " compare");
        }
        byte[][] values = FeatureRowCodec.encodeValues(view, row);
        List<byte[]> args = new ArrayList<>(5 + 2 * values.length);
        args.add(view.timestampField());
        args.add(ProtoTimestampCodec.encodeEpochMillis(row.eventTimeMillis));
        args.add(ascii(Math.floorDiv(row.eventTimeMillis, 1000)));
        args.add(ascii(Math.floorMod(row.eventTimeMillis, 1000) * 1_000_000L));
        args.add(ttlMillis);
        for (int i = 0; i < values.length; i++) {
            args.add(view.featureField(i));
            args.add(values[i]);
        }
        return new EncodedRow(row, view.redisKey(row.entityId, config.project()), args);
    }

    /** One pipelined pass; rows that met NOSCRIPT (script cache flushed) are sent once more. */
    private BitSet execute(List<EncodedRow> rows) {
        BitSet applied = new BitSet(rows.size());
        List<Integer> pending = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            pending.add(i);
        }
        for (int pass = 0; !pending.isEmpty(); pass++) {
            if (scriptSha == null || pass > 0) {
                scriptSha =
                        client.scriptLoad(LwwWriteScript.SOURCE)
                                .getBytes(StandardCharsets.US_ASCII);
            }
            List<Response<Object>> responses = new ArrayList<>(pending.size());
            try (AbstractPipeline pipeline = client.pipelined()) {
                for (int i : pending) {
                    EncodedRow row = rows.get(i);
                    responses.add(pipeline.evalsha(scriptSha, List.of(row.key), row.args));
                }
                pipeline.sync();
            }
            List<Integer> noScript = new ArrayList<>();
            for (int j = 0; j < responses.size(); j++) {
                int i = pending.get(j);
                try {
                    if (((Long) responses.get(j).get()) == 1L) {
                        applied.set(i);
                    }
                } catch (JedisDataException e) {
                    String message = String.valueOf(e.getMessage());
                    if (message.startsWith("NOSCRIPT") && pass == 0) {
                        noScript.add(i);
                    } else if (TRANSIENT_ERRORS.stream().anyMatch(message::startsWith)) {
                        throw new TransientRedisError(message, e);
                    } else {
                        throw new IllegalStateException(
                                "Redis rejected the write of "
                                        + rows.get(i).row
                                        + " (key "
                                        + HexFormat.of().formatHex(rows.get(i).key)
                                        + "): "
                                        + message,
                                e);
                    }
                }
            }
            pending = noScript;
        }
        return applied;
    }

    private static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private record EncodedRow(FeatureRow row, byte[] key, List<byte[]> args) {}

    /** A reply that means "try again later" (LOADING, BUSY, TRYAGAIN). */
    private static final class TransientRedisError extends RuntimeException {
        TransientRedisError(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
