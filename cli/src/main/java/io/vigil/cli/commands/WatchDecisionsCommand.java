package io.vigil.cli.commands;

import io.vigil.cli.AssignedConsumer;
import io.vigil.cli.KafkaOptions;
import io.vigil.cli.KafkaTopics;
import io.vigil.cli.ShutdownSignal;
import io.vigil.cli.Usage;
import io.vigil.cli.WatchOptions;
import io.vigil.cli.watch.BandResolver;
import io.vigil.cli.watch.DecisionSummary;
import io.vigil.cli.watch.RecentIds;
import io.vigil.cli.watch.RegistryBands;
import io.vigil.schemas.Decision;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil watch decisions}: the scoring job's decisions as a live summary, one line per
 * interval ({@link DecisionSummary}) and a total over the whole watch when it ends (Ctrl-C or
 * {@code --samples}). Reads every partition of the decisions topic without a consumer group,
 * deduplicating by transaction id; champion/challenger agreement uses each version's bands from the
 * model registry.
 */
@Command(
        name = "decisions",
        description = {
            "Every second until Ctrl-C: decision rate, p50/p99 of the job's latency"
                    + " (latency.total_micros), decisions by band and by deciding role, champion vs"
                    + " challenger agreement (same band) when a challenger runs, top fallback"
                    + " reasons; then the total.",
            "Duplicates (at-least-once delivery) are dropped by transaction id and counted."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class WatchDecisionsCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MALFORMED_REPORTED = 5;

    @Spec CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "Topic to watch (default: the decisions topic, <prefix>decisions).")
    String topic;

    @Mixin WatchOptions watch;

    @Option(
            names = "--from-beginning",
            description = "Start at the topic's first records instead of new ones.")
    boolean fromBeginning;

    @Option(
            names = "--top-reasons",
            paramLabel = "N",
            defaultValue = "3",
            description = "Fallback reasons listed per line (default: ${DEFAULT-VALUE}).")
    int topReasons;

    @Option(
            names = "--dedupe-window",
            paramLabel = "N",
            defaultValue = "200000",
            description =
                    "Distinct transaction ids remembered to drop duplicates, ~100 B each"
                            + " (default: ${DEFAULT-VALUE}).")
    int dedupeWindow;

    @Mixin ModelRegistryOptions registry;

    private volatile boolean stopped;
    private long undecodable;

    @Override
    public Integer call() {
        String watched =
                topic != null ? topic : Usage.check(spec, kafka::topics).decisions().name();
        Usage.check(spec, this::validate);
        RecentIds seen = new RecentIds(dedupeWindow);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BandResolver bands;
        if (registry.exists()) {
            bands = new RegistryBands(registry.openForReading());
        } else {
            bands = BandResolver.NONE;
            err.println(
                    "vigil watch decisions: no model registry at "
                            + registry.root().toAbsolutePath()
                            + ": champion/challenger agreement is not computed (--registry DIR)");
            err.flush();
        }
        try (KafkaTopics topics = new KafkaTopics(kafka)) {
            if (topics.layout(watched).isEmpty()) {
                throw new IllegalStateException(
                        "no topic "
                                + watched
                                + " at "
                                + kafka.bootstrap()
                                + " (start the stack with ./vigil up and the scoring job with"
                                + " infra/bin/submit-scoring-job.sh)");
            }
        }
        AvroSerde<Decision> serde = AvroSerde.of(Decision.class);
        try (ShutdownSignal signal = new ShutdownSignal(() -> stopped = true);
                KafkaConsumer<byte[], byte[]> consumer =
                        AssignedConsumer.open(
                                kafka.clientProperties(),
                                "vigil-watch-decisions",
                                watched,
                                fromBeginning)) {
            out.println(
                    "watching "
                            + watched
                            + " at "
                            + kafka.bootstrap()
                            + (fromBeginning ? " from the beginning" : "")
                            + "; Ctrl-C ends");
            out.flush();
            long step = watch.interval().toNanos();
            long start = System.nanoTime();
            long intervalStart = start;
            long boundary = start + step;
            DecisionSummary total = new DecisionSummary(bands);
            DecisionSummary current = new DecisionSummary(bands);
            for (long n = 1; !stopped && watch.wants(n); n++) {
                for (long now = System.nanoTime();
                        !stopped && now < boundary;
                        now = System.nanoTime()) {
                    long wait = Math.max(1, Math.min(boundary - now, MAX_POLL_NANOS));
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofNanos(wait))) {
                        take(r, serde, seen, current, total, err);
                    }
                }
                if (stopped) {
                    break;
                }
                long now = System.nanoTime();
                out.println(
                        LocalTime.now(ZoneOffset.UTC).format(TIME)
                                + "  "
                                + current.render((now - intervalStart) / 1e9, topReasons));
                out.flush();
                current = new DecisionSummary(bands);
                intervalStart = now;
                // After a long stall (a slow poll, a GC pause) the next line covers a whole
                // interval again instead of catching up with near-empty ones.
                boundary = Math.max(boundary + step, now + step / 2);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "total over %.0f s: %s%n",
                    seconds,
                    total.render(seconds, topReasons));
            out.flush();
        }
        return 0;
    }

    private void take(
            ConsumerRecord<byte[], byte[]> r,
            AvroSerde<Decision> serde,
            RecentIds seen,
            DecisionSummary current,
            DecisionSummary total,
            PrintWriter err) {
        Decision d;
        try {
            d = serde.deserialize(r.topic(), r.partition(), r.offset(), r.value());
        } catch (MalformedRecordException e) {
            current.addUndecodable();
            total.addUndecodable();
            if (++undecodable <= MALFORMED_REPORTED) {
                err.println("vigil watch decisions: skipped " + e.getMessage());
                err.flush();
            }
            return;
        }
        if (seen.firstSeen(d.getTransactionId())) {
            current.add(d);
            total.add(d);
        } else {
            current.addDuplicate();
            total.addDuplicate();
        }
    }

    private Void validate() {
        watch.validate();
        if (topReasons < 0) {
            throw new IllegalArgumentException("--top-reasons must be ≥ 0, got " + topReasons);
        }
        if (dedupeWindow < 1) {
            throw new IllegalArgumentException("--dedupe-window must be ≥ 1, got " + dedupeWindow);
        }
        return null;
    }
}
