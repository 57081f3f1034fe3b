package io.vigil.features.bench;

import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.simulator.kafka.KafkaTransactionProducer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.ProducerConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Measures the freshness of a running feature job from outside it: how long after a transaction is
 * produced to Kafka its features are in Redis.
 *
 * <p>Method: while other traffic (e.g. {@code vigil simulate --time-mode wall-clock}) loads the
 * job, this program produces <em>probe</em> transactions at a low rate into the same topic, each
 * with a customer and a terminal never seen before, so each probe causes exactly one Redis write
 * per feature view. Redis keyspace notifications ({@code notify-keyspace-events Kh}, set for the
 * run and restored after) report those writes to a subscriber here. Freshness of a probe = time the
 * notification arrived − its produce time (event time = Kafka record time = wall clock at {@code
 * send}); "features complete" waits for both the {@code customer_spending} and the {@code
 * terminal_risk} row. The producer uses the simulator's settings (acks=all, 5 ms linger), so probes
 * travel like the load's transactions. Every probe is counted; one whose rows do not appear within
 * {@code --grace} after the last probe is reported as missing. Resolution is 1 ms (event times are
 * milliseconds); the notification adds well under 1 ms.
 *
 * <p>A program, not a test:
 *
 * <pre>
 * java -cp ... io.vigil.features.bench.FeatureFreshnessBenchmark --bootstrap 127.0.0.1:9092 \
 *   --redis-port 6379 [--transactions-topic vigil.transactions] [--labels-topic vigil.labels]
 *   [--project vigil] [--rate 100] [--warmup 15s] [--duration 60s] [--grace 10s] [--run-id ID]
 * </pre>
 *
 * {@code bench/feature-freshness.sh} runs it against the local stack with the load.
 */
public final class FeatureFreshnessBenchmark {

    private static final String NOTIFY_CONFIG = "notify-keyspace-events";
    private static final long HIGHEST_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final Map<Integer, Probe> probes = new ConcurrentHashMap<>();
    private final Pattern probeKey;
    private final String runId;

    private FeatureFreshnessBenchmark(String runId) {
        this.runId = runId;
        this.probeKey = Pattern.compile("probe(\\d+)_" + Pattern.quote(runId));
    }

    /** Produce time and the times each feature view's row was written (0 = not yet). */
    private static final class Probe {
        final long producedAt;
        final AtomicLong customerRowAt = new AtomicLong();
        final AtomicLong terminalRowAt = new AtomicLong();

        Probe(long producedAt) {
            this.producedAt = producedAt;
        }

        boolean complete() {
            return customerRowAt.get() > 0 && terminalRowAt.get() > 0;
        }
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a =
                BenchArgs.parse(
                        args,
                        "bootstrap",
                        null,
                        "transactions-topic",
                        "vigil.transactions",
                        "labels-topic",
                        "vigil.labels",
                        "redis-host",
                        "127.0.0.1",
                        "redis-port",
                        null,
                        "project",
                        "vigil",
                        "rate",
                        "100",
                        "warmup",
                        "15s",
                        "duration",
                        "60s",
                        "grace",
                        "10s",
                        "run-id",
                        "r" + System.currentTimeMillis());
        if (!a.text("run-id").matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("--run-id must be letters and digits");
        }
        new FeatureFreshnessBenchmark(a.text("run-id")).run(a);
    }

    private void run(BenchArgs a) throws Exception {
        String host = a.text("redis-host");
        int port = a.integer("redis-port");
        try (Jedis admin = new Jedis(host, port)) {
            String previous = admin.configGet(NOTIFY_CONFIG).getOrDefault(NOTIFY_CONFIG, "");
            admin.configSet(NOTIFY_CONFIG, previous + "Kh");
            try {
                measure(a, host, port);
            } finally {
                admin.configSet(NOTIFY_CONFIG, previous);
            }
        }
    }

    private void measure(BenchArgs a, String host, int port) throws Exception {
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub listener =
                new JedisPubSub() {
                    @Override
                    public void onPSubscribe(String pattern, int subscribedChannels) {
                        subscribed.countDown();
                    }

                    @Override
                    public void onPMessage(String pattern, String channel, String message) {
                        rowWritten(channel, System.currentTimeMillis());
                    }
                };
        String pattern = "__keyspace@*__:*probe*_" + runId + a.text("project");
        Thread subscriber =
                new Thread(
                        () -> {
                            try (Jedis sub = new Jedis(host, port)) {
                                sub.psubscribe(listener, pattern);
                            }
                        },
                        "keyspace-subscriber");
        subscriber.setDaemon(true);
        subscriber.start();
        if (!subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no keyspace subscription within 10 s");
        }

        Map<String, Object> props = KafkaTransactionProducer.defaultProperties(a.text("bootstrap"));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-freshness-probe");
        Duration duration = a.duration("duration");
        int rate = a.integer("rate");
        try (KafkaTransactionProducer producer =
                new KafkaTransactionProducer(
                        props, a.text("transactions-topic"), a.text("labels-topic"))) {
            Thread.sleep(a.duration("warmup").toMillis());
            System.err.printf(
                    "freshness probes: %d/s for %s into %s%n",
                    rate, duration, a.text("transactions-topic"));
            sendProbes(producer, rate, duration);
        }
        long deadline = System.currentTimeMillis() + a.duration("grace").toMillis();
        while (System.currentTimeMillis() < deadline
                && !probes.values().stream().allMatch(Probe::complete)) {
            Thread.sleep(100);
        }
        listener.punsubscribe();
        subscriber.join(5_000);
        report(rate, duration, a.duration("grace"));
    }

    private void sendProbes(KafkaTransactionProducer producer, int rate, Duration duration) {
        long start = System.nanoTime();
        long count = duration.toSeconds() * rate;
        for (int n = 0; n < count; n++) {
            LockSupport.parkNanos(start + n * 1_000_000_000L / rate - System.nanoTime());
            String id = "probe" + n + "_" + runId;
            long now = System.currentTimeMillis();
            probes.put(n, new Probe(now));
            producer.sendTransaction(
                    new Transaction(
                            id,
                            Instant.ofEpochMilli(now),
                            id,
                            id,
                            new Money(1_000L, "EUR"),
                            null,
                            null,
                            null));
        }
        producer.flush();
    }

    private void rowWritten(String channel, long at) {
        Matcher m = probeKey.matcher(channel);
        if (!m.find()) {
            return;
        }
        Probe probe = probes.get(Integer.parseInt(m.group(1)));
        if (probe == null) {
            return;
        }
        // The entity key holds the join key's name ("customer_id" / "terminal_id") in clear.
        AtomicLong row =
                channel.contains("customer_id") ? probe.customerRowAt : probe.terminalRowAt;
        row.compareAndSet(0, at);
    }

    private void report(int rate, Duration duration, Duration grace) {
        Histogram complete = new Histogram(HIGHEST_MILLIS, 3);
        Histogram customer = new Histogram(HIGHEST_MILLIS, 3);
        Histogram terminal = new Histogram(HIGHEST_MILLIS, 3);
        int missing = 0;
        for (Probe p : probes.values()) {
            long c = p.customerRowAt.get();
            long t = p.terminalRowAt.get();
            record(customer, c, p.producedAt);
            record(terminal, t, p.producedAt);
            if (c > 0 && t > 0) {
                record(complete, Math.max(c, t), p.producedAt);
            } else {
                missing++;
            }
        }
        System.out.printf(
                "freshness = Redis row written (keyspace notification) - Kafka produce time;"
                        + " %d probe transactions, %d/s for %d s%n",
                probes.size(), rate, duration.toSeconds());
        System.out.printf(
                "%-22s %8s %7s %7s %7s %7s %7s%n",
                "(ms)", "samples", "p50", "p90", "p99", "p99.9", "max");
        for (Map.Entry<String, Histogram> row :
                List.of(
                        Map.entry("features complete", complete),
                        Map.entry("customer_spending row", customer),
                        Map.entry("terminal_risk row", terminal))) {
            Histogram h = row.getValue();
            System.out.printf(
                    "%-22s %8d %7d %7d %7d %7d %7d%n",
                    row.getKey(),
                    h.getTotalCount(),
                    h.getValueAtPercentile(50),
                    h.getValueAtPercentile(90),
                    h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9),
                    h.getMaxValue());
        }
        System.out.printf(
                "missing: %d probe(s) without both rows %d s after the last probe%n",
                missing, grace.toSeconds());
    }

    private static void record(Histogram histogram, long writtenAt, long producedAt) {
        if (writtenAt > 0) {
            histogram.recordValue(Math.min(HIGHEST_MILLIS, Math.max(0, writtenAt - producedAt)));
        }
    }
}
