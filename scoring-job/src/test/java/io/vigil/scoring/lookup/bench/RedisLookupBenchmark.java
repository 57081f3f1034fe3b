package io.vigil.scoring.lookup.bench;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.features.redis.FeastRedisWriter;
import io.vigil.features.redis.RedisSinkConfig;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.scoring.lookup.RedisHistoryLookup;
import io.vigil.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Prints the latency of the scoring job's feature lookups ({@link RedisHistoryLookup}: two HGETs of
 * history snapshots per transaction and the store's reset key per batch, pipelined on one I/O
 * thread) at fixed rates, against a single redis-server and a Redis Cluster of three primaries,
 * both started by the program on this machine. Latency runs from each lookup's intended start (a
 * fixed schedule, so a stalled sender does not hide its backlog) to its completion, recorded with
 * HdrHistogram.
 *
 * <p>A program, not a test: {@code bench/redis-lookup.sh [RATES] [SECONDS]}, e.g. {@code
 * bench/redis-lookup.sh 5000,20000 20}.
 */
public final class RedisLookupBenchmark {

    private static final String PROJECT = "bench";
    private static final int CUSTOMERS = 50_000;
    private static final int TERMINALS = 10_000;
    private static final int MAX_BATCH = 256; // the scoring job's --lookup-max-batch default
    private static final Duration WARMUP = Duration.ofSeconds(5);
    private static final long AS_OF = 1_790_000_000_000L; // 2026-09-21

    private RedisLookupBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Integer> rates = new ArrayList<>();
        for (String rate : (args.length > 0 ? args[0] : "5000,20000").split(",")) {
            rates.add(Integer.parseInt(rate.trim()));
        }
        Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
        System.out.printf(
                "feature lookups, %d customers and %d terminals with handbook-sized snapshots,"
                        + " %d s per rate after %d s warm-up%n",
                CUSTOMERS, TERMINALS, measured.toSeconds(), WARMUP.toSeconds());
        System.out.printf(
                "%-8s %8s %10s %9s %9s %9s %9s %9s%n",
                "redis",
                "rate/s",
                "achieved/s",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "max ms",
                "failed");
        for (RedisExtension redis : List.of(new RedisExtension(), RedisExtension.cluster())) {
            redis.beforeAll(null);
            try {
                seed(redis);
                for (int rate : rates) {
                    run(redis, rate, WARMUP);
                    print(redis, rate, run(redis, rate, measured));
                }
            } finally {
                redis.afterAll(null);
            }
        }
    }

    private record Outcome(Histogram latency, long failed, double achieved) {}

    /** Lookups at {@code rate} per second for {@code duration}, waiting for the last ones. */
    private static Outcome run(RedisExtension redis, int rate, Duration duration)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong failed = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long total = rate * duration.toSeconds();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        try (RedisHistoryLookup lookup =
                new RedisHistoryLookup(
                        redis.topology(),
                        RedisAuth.NONE,
                        PROJECT,
                        Duration.ofSeconds(2),
                        Duration.ofMillis(100),
                        MAX_BATCH)) {
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long intended = start + i * intervalNanos;
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                lookup.lookup("C" + (i * 7919 % CUSTOMERS), "T" + (i * 104_729 % TERMINALS))
                        .whenComplete(
                                (snapshots, error) -> {
                                    if (error != null) {
                                        failed.incrementAndGet();
                                    }
                                    recorder.recordValue(
                                            Math.max(1, (System.nanoTime() - intended) / 1_000));
                                    done.incrementAndGet();
                                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (done.get() < total && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Outcome(recorder.getIntervalHistogram(), failed.get(), done.get() / seconds);
        }
    }

    private static void print(RedisExtension redis, int rate, Outcome outcome) {
        Histogram h = outcome.latency();
        System.out.printf(
                Locale.ROOT,
                "%-8s %8d %10.0f %9.2f %9.2f %9.2f %9.2f %9d%n",
                redis.isCluster() ? "cluster" : "single",
                rate,
                outcome.achieved(),
                h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3,
                outcome.failed());
    }

    /** Every entity's snapshot, written as the feature job writes them. */
    private static void seed(RedisExtension redis) throws InterruptedException {
        RedisSinkConfig config = RedisSinkConfig.of(redis.topology(), PROJECT);
        try (FeastRedisWriter writer = new FeastRedisWriter(config, cause -> {})) {
            seed(writer, FeatureViews.CUSTOMER_SPENDING, "C", CUSTOMERS, snapshot(60));
            seed(writer, FeatureViews.TERMINAL_RISK, "T", TERMINALS, snapshot(37));
        }
    }

    private static void seed(
            FeastRedisWriter writer, FeatureViewSpec view, String prefix, int count, byte[] history)
            throws InterruptedException {
        List<OnlineStoreWrite> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(OnlineStoreWrite.ofHistory(view.name(), prefix + i, AS_OF, history));
            if (batch.size() == RedisSinkConfig.DEFAULT_BATCH_SIZE || i == count - 1) {
                writer.write(batch);
                batch.clear();
            }
        }
    }

    /** A snapshot of {@code buckets} buckets half a day apart, as a handbook entity holds. */
    private static byte[] snapshot(int buckets) {
        long[] times = new long[buckets];
        long[] counts = new long[buckets];
        long[] values = new long[buckets];
        for (int i = 0; i < buckets; i++) {
            times[i] = AS_OF - (buckets - 1 - i) * Duration.ofHours(12).toMillis();
            counts[i] = 1;
            values[i] = 5_000 + 137L * i;
        }
        return WindowHistoryCodec.encode(
                new WindowHistorySnapshot(AS_OF, 0, times, counts, values));
    }
}
