package io.vigil.cli.commands;

import io.vigil.cli.Converters;
import io.vigil.cli.KafkaOptions;
import io.vigil.cli.KafkaTopics;
import io.vigil.cli.ShutdownSignal;
import io.vigil.cli.Usage;
import io.vigil.cli.bench.E2eBench;
import io.vigil.cli.bench.E2eBenchConfig;
import io.vigil.cli.bench.E2eBenchReport;
import io.vigil.cli.bench.OnnxInferenceFloor;
import io.vigil.cli.bench.RedisLookupFloor;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.simulator.SimulatorConfig;
import io.vigil.simulator.generator.TransactionGenerator;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil bench e2e}: end-to-end latency of the scoring path on a running stack, at fixed
 * rates, corrected for coordinated omission, with the floors it is compared to (Kafka alone, one
 * Redis lookup, one ONNX inference per model). See {@link E2eBench} for the method.
 */
@Command(
        name = "e2e",
        description = {
            "Produce generated transactions to the transactions topic at fixed rates and time each"
                    + " one's decision on the decisions topic from its intended send time"
                    + " (coordinated omission corrected), with the floors: first Kafka alone at"
                    + " the same rates (on a quiet stack), after the rates one pipelined Redis"
                    + " lookup of both feature views and one ONNX inference of the champion and"
                    + " challenger. Prints a table per part, e2e p99 / sum of"
                    + " the floors' p99s (target ≤ 2), and one JSON line per figure set.",
            "Needs the stack with the feature and scoring jobs running (bench/scoring-latency.sh"
                    + " sets it all up)."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class BenchE2eCommand implements Callable<Integer> {

    // The handbook's customers make ≥ 1.8 transactions a simulated day each (9,000 a day for
    // 5,000).
    private static final double TRANSACTIONS_PER_CUSTOMER_DAY_AT_LEAST = 1.8;

    @Spec CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Option(
            names = "--rates",
            paramLabel = "TX_PER_S",
            split = ",",
            defaultValue = "1000,5000,10000,20000",
            description = "Rates to measure, in order (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = Converters.DurationConverter.class,
            description = "Measured time per rate (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = Converters.DurationConverter.class,
            description = "Sent but not recorded before each rate (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
            names = "--initial-warmup",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = Converters.DurationConverter.class,
            description =
                    "Warm-up of the first rate instead of --warmup: this JVM's Kafka clients, and a"
                            + " fresh broker, compile their hot paths meanwhile (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration initialWarmup;

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = Converters.DurationConverter.class,
            description =
                    "Wait this long after a rate for its last decisions; later ones count as"
                            + " missing (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(
            names = "--floors",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Measure the floors too (default: on; --no-floors: e2e only).")
    boolean floors;

    @Option(
            names = "--timeline",
            arity = "0..1",
            fallbackValue = "1s",
            paramLabel = "INTERVAL",
            converter = Converters.DurationConverter.class,
            description =
                    "Also print the e2e p50/p99/max of each INTERVAL (default 1s) of every rate as"
                            + " a JSON line (bench \"e2e-interval\"), dated by intended send time:"
                            + " where in a run the tail grew, e.g. around a model swap"
                            + " (bench/model-swap.sh) or over an hour (bench/soak.sh, minutes).")
    Duration timeline;

    @Option(
            names = "--floor-duration",
            paramLabel = "DURATION",
            converter = Converters.DurationConverter.class,
            description = "Measured time per rate of the Kafka-only floor (default: --duration).")
    Duration floorDuration;

    @Option(
            names = "--redis-iterations",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Timed Redis lookups (default: ${DEFAULT-VALUE}).")
    int redisIterations;

    @Option(
            names = "--onnx-iterations",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Timed inferences per model (default: ${DEFAULT-VALUE}).")
    int onnxIterations;

    @Option(
            names = "--redis-host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Redis of the feature store (default: ${DEFAULT-VALUE}).")
    String redisHost;

    @Option(
            names = "--redis-port",
            paramLabel = "PORT",
            defaultValue = "${env:VIGIL_REDIS_PORT:-6379}",
            description = "Redis port (default: $VIGIL_REDIS_PORT or 6379).")
    int redisPort;

    @Option(
            names = "--feast-project",
            paramLabel = "PROJECT",
            defaultValue = "vigil",
            description =
                    "Feast project the feature job writes, the suffix of every Redis key (default:"
                            + " ${DEFAULT-VALUE}).")
    String feastProject;

    @Mixin ModelRegistryOptions registry;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description =
                    "Model whose champion and challenger the ONNX floor runs (default: the only"
                            + " model with a champion).")
    String model;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description =
                    "Simulation seed of the generated transactions (default: ${DEFAULT-VALUE}).")
    long seed;

    // Event times are the wall clock, so a population too small for the rate would give every
    // customer hundreds of transactions a minute, histories at the hot-key cap and snapshots of
    // ~20 KB per write: a benchmark of an unrealistic load, not of the platform.
    @Option(
            names = "--customers",
            defaultValue = "50000",
            description =
                    "Simulated customers (default: ${DEFAULT-VALUE}; 60 s at 20k tx/s gives each"
                            + " ~24 transactions, the handbook's customers make ~2 a day).")
    int customers;

    @Option(
            names = "--terminals",
            defaultValue = "10000",
            description = "Simulated terminals (default: ${DEFAULT-VALUE}).")
    int terminals;

    @Option(
            names = "--producer-property",
            paramLabel = "KEY=VALUE",
            description =
                    "Kafka producer setting overriding the benchmark's (repeatable); the Kafka"
                            + " floor uses the same producer settings.")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        E2eBenchConfig config =
                Usage.check(
                        spec,
                        () ->
                                new E2eBenchConfig(
                                        rates,
                                        duration,
                                        warmup,
                                        initialWarmup,
                                        grace,
                                        floors,
                                        floorDuration != null ? floorDuration : duration,
                                        redisIterations,
                                        onnxIterations,
                                        timeline != null ? timeline : Duration.ofSeconds(1)));
        TopicRegistry registered = Usage.check(spec, kafka::topics);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String transactions = registered.transactions().name();
        String decisions = registered.decisions().name();

        try (KafkaTopics admin = new KafkaTopics(kafka)) {
            KafkaTopics.TopicLayout layout =
                    admin.layout(transactions)
                            .orElseThrow(() -> missingTopic(transactions, "./vigil up creates it"));
            admin.layout(decisions)
                    .orElseThrow(
                            () ->
                                    missingTopic(
                                            decisions,
                                            "./vigil up creates it; the scoring job writes it"));
            // Floors are checked before any traffic, so a missing model or Redis fails at once.
            RedisLookupFloor redis = null;
            if (floors) {
                redis = new RedisLookupFloor(redisHost, redisPort, feastProject, kafka.timeout());
                redis.ping();
            }
            try (OnnxInferenceFloor onnx =
                    floors ? new OnnxInferenceFloor(registry.openForReading(), model) : null) {
                E2eBench bench =
                        new E2eBench(
                                config,
                                kafka.clientProperties(),
                                producerProperties(),
                                new E2eBench.Topics(
                                        transactions,
                                        decisions,
                                        kafka.topicPrefix() + "bench-floor-"),
                                generator(config),
                                new E2eBenchReport(out, timeline != null),
                                err);
                out.printf(
                        Locale.ROOT,
                        "vigil bench e2e %s: %s tx/s, transactions -> %s, decisions <- %s at %s%s%n",
                        bench.runId(),
                        rates.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                        transactions,
                        decisions,
                        kafka.bootstrap(),
                        onnx == null
                                ? ""
                                : "; models "
                                        + onnx.roles().stream()
                                                .map(r -> r.role() + " " + r.version())
                                                .collect(Collectors.joining(", ")));
                out.flush();
                boolean finished;
                try (ShutdownSignal signal = new ShutdownSignal(bench::stop)) {
                    finished = bench.run(admin, layout, redis, onnx);
                }
                if (!finished) {
                    out.println("interrupted: the rate in progress was not reported");
                    out.flush();
                }
            }
        }
        return 0;
    }

    private IllegalStateException missingTopic(String topic, String hint) {
        return new IllegalStateException(
                "no topic " + topic + " at " + kafka.bootstrap() + " (" + hint + ")");
    }

    // Latency first: no linger; the rest as the simulator produces (acks=all, idempotent, lz4).
    private Map<String, Object> producerProperties() {
        Map<String, Object> props = kafka.transactionProducerProperties();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-bench-e2e");
        props.putAll(producerProperties);
        return props;
    }

    private TransactionGenerator generator(E2eBenchConfig config) {
        int days =
                (int)
                        Math.min(
                                Integer.MAX_VALUE,
                                config.totalTransactions()
                                                / (customers
                                                        * TRANSACTIONS_PER_CUSTOMER_DAY_AT_LEAST)
                                        + 2);
        return new TransactionGenerator(
                SimulatorConfig.builder()
                        .customers(customers)
                        .terminals(terminals)
                        .days(days)
                        .seed(seed)
                        .build());
    }
}
