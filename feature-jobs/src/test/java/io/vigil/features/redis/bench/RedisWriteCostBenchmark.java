package io.vigil.features.redis.bench;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.features.redis.FeastRedisWriter;
import io.vigil.features.redis.RedisInfo;
import io.vigil.features.redis.RedisSinkConfig;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/**
 * Prints what writing features costs Redis per transaction: server-side commands (from INFO
 * commandstats), round trips, memory per entity key (MEMORY USAGE) and write throughput. Each
 * simulated transaction updates one customer_spending row and one terminal_risk row, each with a
 * history snapshot of a handbook-like size (60 and 37 buckets at whole seconds), as the feature job
 * does.
 *
 * <p>A program, not a test. Against an empty, disposable Redis (it runs FLUSHALL):
 *
 * <pre>
 * redis-server --port 6390 --save '' --appendonly no --daemonize yes
 * mvn -o -q -pl feature-jobs test-compile dependency:build-classpath -Dmdep.includeScope=test \
 *   -Dmdep.outputFile=target/bench.cp
 * java -cp feature-jobs/target/test-classes:feature-jobs/target/classes:$(cat feature-jobs/target/bench.cp) \
 *   io.vigil.features.redis.bench.RedisWriteCostBenchmark 127.0.0.1 6390 \
 *   [transactions=200000] [customers=5000] [terminals=10000] [ttlDays=0]
 * </pre>
 */
public final class RedisWriteCostBenchmark {
    private static final int BATCH = RedisSinkConfig.DEFAULT_BATCH_SIZE;

    private RedisWriteCostBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println(
                    "usage: RedisWriteCostBenchmark HOST PORT [transactions=200000]"
                            + " [customers=5000] [terminals=10000] [ttlDays=0]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int transactions = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int customers = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
        int terminals = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        int ttlDays = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        RedisSinkConfig config =
                RedisSinkConfig.of(host, port, "vigil").withTtl(Duration.ofDays(ttlDays));

        try (RedisClient admin = RedisClient.create(host, port);
                FeastRedisWriter writer = new FeastRedisWriter(config, cause -> {})) {
            admin.flushAll();
            admin.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
            long memoryBefore = usedMemory(admin);

            Random random = new Random(42);
            List<OnlineStoreWrite> batch = new ArrayList<>(BATCH);
            long batches = 0;
            long written = 0;
            long start = System.nanoTime();
            for (int tx = 0; tx < transactions; tx++) {
                long eventTime = 1_522_540_800_000L + tx * 1_000L; // 2018-04-01, one tx per second
                batch.add(
                        row(
                                FeatureViews.CUSTOMER_SPENDING,
                                "C" + random.nextInt(customers),
                                eventTime,
                                random));
                batch.add(
                        row(
                                FeatureViews.TERMINAL_RISK,
                                "T" + random.nextInt(terminals),
                                eventTime,
                                random));
                if (batch.size() >= BATCH) {
                    written += writer.write(batch).written();
                    batches++;
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                written += writer.write(batch).written();
                batches++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;

            Map<String, Long> calls = commandCalls(admin);
            long keys = admin.dbSize();
            long memoryAfter = usedMemory(admin);
            long sampled = 0;
            long sampledBytes = 0;
            for (FeatureViewSpec view : FeatureViews.ALL) {
                String prefix = view == FeatureViews.CUSTOMER_SPENDING ? "C" : "T";
                for (int i = 0; i < 200; i++) {
                    Long usage = admin.memoryUsage(view.redisKey(prefix + i, "vigil"));
                    if (usage != null) {
                        sampled++;
                        sampledBytes += usage;
                    }
                }
            }
            int keyBytes = FeatureViews.CUSTOMER_SPENDING.redisKey("C1234", "vigil").length;

            System.out.printf(
                    "transactions                 %,d (%,d feature rows, %,d written)%n",
                    transactions, 2L * transactions, written);
            System.out.printf(
                    "entity keys                  %,d (%,d customers, %,d terminals drawn)%n",
                    keys, customers, terminals);
            System.out.printf(
                    "round trips                  %,d pipelined batches of %d rows + %d SCRIPT LOAD%n",
                    batches,
                    BATCH,
                    calls.getOrDefault("script|load", calls.getOrDefault("script", 0L)));
            System.out.printf(
                    "client commands per tx       %.2f EVALSHA%n",
                    calls.getOrDefault("evalsha", 0L) / (double) transactions);
            System.out.printf(
                    "server commands per tx       %.2f (HMGET %.2f, HSET %.2f, PEXPIRE %.2f inside the script)%n",
                    (calls.getOrDefault("evalsha", 0L)
                                    + calls.getOrDefault("hmget", 0L)
                                    + calls.getOrDefault("hset", 0L)
                                    + calls.getOrDefault("pexpire", 0L))
                            / (double) transactions,
                    calls.getOrDefault("hmget", 0L) / (double) transactions,
                    calls.getOrDefault("hset", 0L) / (double) transactions,
                    calls.getOrDefault("pexpire", 0L) / (double) transactions);
            System.out.printf(
                    "throughput                   %,.0f tx/s (%,.0f rows/s) in %.1f s%n",
                    transactions / seconds, 2 * transactions / seconds, seconds);
            System.out.printf(
                    "key length                   %d bytes (customer id of 5 chars, project 'vigil')%n",
                    keyBytes);
            System.out.printf(
                    "MEMORY USAGE per entity key  %.0f bytes (mean of %d sampled keys, one view each)%n",
                    sampledBytes / (double) sampled, sampled);
            System.out.printf(
                    "used_memory per entity key   %.0f bytes (INFO memory delta / keys)%n",
                    (memoryAfter - memoryBefore) / (double) keys);
            System.out.println("raw commandstats calls      " + calls);
        }
    }

    private static OnlineStoreWrite row(
            FeatureViewSpec view, String id, long eventTime, Random random) {
        double[] values = new double[view.featureCount()];
        for (int i = 0; i < values.length; i += 2) {
            values[i] = random.nextInt(50);
            values[i + 1] = random.nextDouble() * 200;
        }
        boolean customer = view == FeatureViews.CUSTOMER_SPENDING;
        int buckets = customer ? 60 : 37;
        long[] times = new long[buckets];
        long[] counts = new long[buckets];
        long[] sums = new long[buckets];
        for (int i = 0; i < buckets; i++) {
            times[i] = eventTime - (buckets - 1 - i) * 43_200_000L + random.nextInt(3_600) * 1_000L;
            counts[i] = 1;
            sums[i] = customer ? 500 + random.nextInt(9_500) : (random.nextInt(100) == 0 ? 1 : 0);
        }
        times[buckets - 1] = eventTime;
        long retention = customer ? 30 * 86_400_000L : 37 * 86_400_000L;
        byte[] history =
                WindowHistoryCodec.encode(
                        new WindowHistorySnapshot(
                                eventTime, eventTime - retention - 600_000, times, counts, sums));
        return new OnlineStoreWrite(
                view.name(),
                id,
                new FeatureRow(view.name(), id, eventTime, 0, values),
                eventTime,
                history);
    }

    private static long usedMemory(RedisClient admin) {
        String used = RedisInfo.field(admin.info("memory"), "used_memory");
        if (used.isEmpty()) {
            throw new IllegalStateException("no used_memory in INFO memory");
        }
        return Long.parseLong(used);
    }

    /** Calls per command from INFO commandstats ("cmdstat_hset:calls=12,..."). */
    private static Map<String, Long> commandCalls(RedisClient admin) {
        Map<String, Long> calls = new HashMap<>();
        for (String line : admin.info("commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String stats = line.substring(line.indexOf(':') + 1);
                String c = stats.substring("calls=".length(), stats.indexOf(','));
                calls.put(name, Long.parseLong(c));
            }
        }
        return calls;
    }
}
