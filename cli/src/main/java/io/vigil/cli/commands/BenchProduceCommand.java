package io.vigil.cli.commands;

import io.vigil.cli.KafkaOptions;
import io.vigil.cli.KafkaTopics;
import io.vigil.cli.Progress;
import io.vigil.cli.ShutdownSignal;
import io.vigil.cli.Usage;
import io.vigil.schemas.topics.Topic;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.simulator.SimulatedTransaction;
import io.vigil.simulator.SimulatorConfig;
import io.vigil.simulator.feed.FeedConfig;
import io.vigil.simulator.feed.LabelPolicy;
import io.vigil.simulator.feed.PrefetchingIterator;
import io.vigil.simulator.feed.TimeMode;
import io.vigil.simulator.feed.TransactionFeed;
import io.vigil.simulator.generator.TransactionGenerator;
import io.vigil.simulator.kafka.KafkaTransactionProducer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil bench produce}: the simulator's throughput benchmark. Generates N handbook
 * transactions and produces them as fast as possible, Avro with acks=all and idempotence, to a
 * benchmark topic; prints the sustained rate and the produce-ack latency percentiles. Labels are
 * not sent, so the figure is the transaction ingest rate.
 */
@Command(
        name = "produce",
        description = {
            "Produce N generated transactions as fast as possible (Avro, acks=all) and print the"
                    + " sustained rate and produce-ack latency percentiles.",
            "Writes to <prefix>bench-transactions by default, not to the live transactions topic."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class BenchProduceCommand implements Callable<Integer> {

    private static final int TRANSACTIONS_PER_DAY_AT_LEAST = 9_000;

    @Spec CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "2000000",
            description = "Transactions to produce (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(
            names = "--rate",
            paramLabel = "TX_PER_S",
            defaultValue = "0",
            description =
                    "Target rate for a latency measurement at a given load; 0 = as fast as possible"
                            + " (default).")
    double rate;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description =
                    "Target topic, created when missing (default: <prefix>bench-transactions).")
    String topic;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description =
                    "Partitions when the topic is created (default: those of the transactions topic).")
    Integer partitions;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Simulation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    // Measured on 2 cores: no gain (generating costs ~1 µs of the ~5 µs per record), so opt-in.
    @Option(
            names = "--prefetch",
            description = "Generate ahead on a separate thread instead of on the sending thread.")
    boolean prefetch;

    @Option(
            names = "--producer-property",
            paramLabel = "KEY=VALUE",
            description =
                    "Kafka producer setting overriding Vigil's defaults (repeatable), e.g."
                            + " compression.type=none.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(
            names = "--progress",
            description = "Draw a progress bar even when stderr is not a terminal.")
    boolean progress;

    @Override
    public Integer call() {
        TopicRegistry registry = Usage.check(spec, kafka::topics);
        TopicSpec<?> target = Usage.check(spec, () -> targetTopic(registry));
        FeedConfig feedConfig =
                Usage.check(
                        spec,
                        () ->
                                new FeedConfig(
                                        TimeMode.SIMULATED,
                                        rate,
                                        Duration.ZERO,
                                        LabelPolicy.NONE,
                                        count));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        try (KafkaTopics admin = new KafkaTopics(kafka)) {
            admin.ensureExist(List.of(target));
        }
        Map<String, Object> props = kafka.transactionProducerProperties();
        props.putAll(producerProperties);

        // Enough simulated days for N transactions; the feed stops at N.
        int days = (int) Math.min(Integer.MAX_VALUE, count / TRANSACTIONS_PER_DAY_AT_LEAST + 2);
        Iterator<SimulatedTransaction> generator =
                new TransactionGenerator(SimulatorConfig.builder().days(days).seed(seed).build());
        TransactionFeed feed = new TransactionFeed(feedConfig);
        out.printf(
                Locale.ROOT,
                "producing %,d transactions %s to %s at %s (acks=%s, linger.ms=%s,"
                        + " batch.size=%s, compression=%s, prefetch=%s)%n",
                count,
                rate == 0
                        ? "as fast as possible"
                        : String.format(Locale.ROOT, "at %,.0f tx/s", rate),
                target.name(),
                kafka.bootstrap(),
                props.get(ProducerConfig.ACKS_CONFIG),
                props.get(ProducerConfig.LINGER_MS_CONFIG),
                props.get(ProducerConfig.BATCH_SIZE_CONFIG),
                props.get(ProducerConfig.COMPRESSION_TYPE_CONFIG),
                prefetch);
        out.flush();
        try (ShutdownSignal signal = new ShutdownSignal(feed::stop);
                KafkaTransactionProducer producer =
                        new KafkaTransactionProducer(props, target.name(), target.name());
                PrefetchingIterator<SimulatedTransaction> ahead =
                        prefetch
                                ? new PrefetchingIterator<>(generator, 2_048, 16, "vigil-generator")
                                : null) {
            TransactionFeed.Result result;
            try (Progress bar =
                    new Progress(
                            Usage.check(
                                    spec,
                                    () -> Progress.Mode.choose(progress, Duration.ofSeconds(10))),
                            err,
                            "tx",
                            feed::transactionsSent,
                            count)) {
                result = feed.run(prefetch ? ahead : generator, producer);
            }
            report(out, result, producer);
        }
        return 0;
    }

    private TopicSpec<?> targetTopic(TopicRegistry registry) {
        String name = topic != null ? topic : kafka.topicPrefix() + "bench-transactions";
        TopicSpec<?> transactions = registry.transactions();
        return new TopicSpec<>(
                Topic.TRANSACTIONS,
                registry.withName(Topic.TRANSACTIONS, name).name(Topic.TRANSACTIONS),
                partitions != null ? partitions : transactions.partitions(),
                transactions.recordClass());
    }

    private static void report(
            PrintWriter out, TransactionFeed.Result result, KafkaTransactionProducer producer) {
        double seconds = result.elapsedNanos() / 1e9;
        Histogram latency = producer.ackLatencyMicros();
        out.printf(
                Locale.ROOT,
                "produced %,d transactions in %.2f s: %,.0f tx/s, %.1f MB/s (Avro, before compression)%n",
                result.transactions(),
                seconds,
                result.transactionsPerSecond(),
                producer.bytesSent() / seconds / 1e6);
        out.printf(
                Locale.ROOT,
                "produce-ack latency ms: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (%,d acks)%n",
                latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3,
                latency.getValueAtPercentile(99.9) / 1e3,
                latency.getMaxValue() / 1e3,
                latency.getTotalCount());
        out.printf(
                Locale.ROOT,
                "producer: batch size avg %.0f B, records per request avg %.0f, compression ratio %.2f%n",
                metric(producer, "batch-size-avg"),
                metric(producer, "records-per-request-avg"),
                metric(producer, "compression-rate-avg"));
        out.flush();
    }

    private static double metric(KafkaTransactionProducer producer, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
            if (e.getKey().group().equals("producer-metrics") && e.getKey().name().equals(name)) {
                Object value = e.getValue().metricValue();
                return value instanceof Number n ? n.doubleValue() : Double.NaN;
            }
        }
        return Double.NaN;
    }
}
