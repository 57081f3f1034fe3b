package io.vigil.cli.bench;

import io.vigil.schemas.feast.FeatureRowCodec;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The feature-lookup floor: one pipelined round trip of an HMGET per feature view ({@code
 * customer_spending} for the customer, {@code terminal_risk} for the terminal; every feature field
 * plus {@code _ts:<view>}, as Feast reads them, plus the {@code _vigil_history:<view>} snapshot the
 * scoring job reads) on one connection, for entities that have rows in the Feast layout. Nothing is
 * decoded: the floor is the round trip.
 */
public final class RedisLookupFloor {

    /** The entities of one transaction. */
    public record Entity(String customerId, String terminalId) {}

    /** The lookup latency over {@code entities} distinct entities that exist in Redis. */
    public record Result(int entities, int candidates, Percentiles latency) {}

    private static final FeatureViewSpec CUSTOMER = FeatureViews.CUSTOMER_SPENDING;
    private static final FeatureViewSpec TERMINAL = FeatureViews.TERMINAL_RISK;

    private final String host;
    private final int port;
    private final String project;
    private final int timeoutMillis;

    public RedisLookupFloor(String host, int port, String project, Duration timeout) {
        this.host = host;
        this.port = port;
        this.project = project;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    /** Fails with the address when Redis does not answer, before any traffic is sent. */
    public void ping() {
        try (Jedis jedis = connect()) {
            jedis.ping();
        } catch (JedisException e) {
            throw new IllegalStateException(
                    "Redis does not answer at "
                            + where()
                            + " ("
                            + e.getMessage()
                            + "); is the stack up? (./vigil up, or --redis-host/--redis-port)",
                    e);
        }
    }

    /**
     * Times {@code iterations} lookups after {@code warmup}, cycling over those {@code candidates}
     * whose customer and terminal both have rows.
     *
     * @throws IllegalStateException if none of them has
     */
    public Result measure(List<Entity> candidates, int warmup, int iterations) {
        byte[][] customerFields = fields(CUSTOMER);
        byte[][] terminalFields = fields(TERMINAL);
        try (Jedis jedis = connect()) {
            List<byte[][]> keys = existing(jedis, candidates);
            if (keys.isEmpty()) {
                throw new IllegalStateException(
                        "none of the "
                                + candidates.size()
                                + " customers and terminals sampled from the benchmark's"
                                + " transactions has feature rows in Redis at "
                                + where()
                                + " for Feast project '"
                                + project
                                + "': is the feature job running on the transactions topic"
                                + " (infra/bin/submit-feature-job.sh), with this --feast-project?");
            }
            Histogram nanos = new Histogram(3);
            try (Pipeline pipeline = jedis.pipelined()) {
                for (int i = 0; i < warmup + iterations; i++) {
                    byte[][] k = keys.get(i % keys.size());
                    long start = System.nanoTime();
                    Response<List<byte[]>> customer = pipeline.hmget(k[0], customerFields);
                    Response<List<byte[]>> terminal = pipeline.hmget(k[1], terminalFields);
                    pipeline.sync();
                    customer.get();
                    terminal.get();
                    long elapsed = System.nanoTime() - start;
                    if (i >= warmup) {
                        nanos.recordValue(elapsed);
                    }
                }
            }
            return new Result(keys.size(), candidates.size(), Percentiles.ofNanos(nanos));
        } catch (JedisException e) {
            throw new IllegalStateException(
                    "the Redis lookup floor failed at " + where() + ": " + e.getMessage(), e);
        }
    }

    private static byte[][] fields(FeatureViewSpec view) {
        List<byte[]> fields = new ArrayList<>(FeatureRowCodec.readFields(view));
        fields.add(view.historyField());
        return fields.toArray(byte[][]::new);
    }

    // Key pairs (customer, terminal) of the candidates whose rows both exist, one round trip.
    private List<byte[][]> existing(Jedis jedis, List<Entity> candidates) {
        List<byte[][]> keys = new ArrayList<>();
        List<Response<Boolean>> customer = new ArrayList<>();
        List<Response<Boolean>> terminal = new ArrayList<>();
        try (Pipeline pipeline = jedis.pipelined()) {
            for (Entity e : candidates) {
                byte[][] pair = {
                    CUSTOMER.redisKey(e.customerId(), project),
                    TERMINAL.redisKey(e.terminalId(), project)
                };
                keys.add(pair);
                customer.add(pipeline.exists(pair[0]));
                terminal.add(pipeline.exists(pair[1]));
            }
            pipeline.sync();
        }
        List<byte[][]> found = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            if (customer.get(i).get() && terminal.get(i).get()) {
                found.add(keys.get(i));
            }
        }
        return found;
    }

    // RESP2 named explicitly: otherwise Jedis logs a warning per connection about protocol
    // negotiation; HMGET replies are the same in both protocols.
    private Jedis connect() {
        return new Jedis(
                new HostAndPort(host, port),
                DefaultJedisClientConfig.builder()
                        .timeoutMillis(timeoutMillis)
                        .protocol(RedisProtocol.RESP2)
                        .build());
    }

    private String where() {
        return host + ":" + port;
    }
}
