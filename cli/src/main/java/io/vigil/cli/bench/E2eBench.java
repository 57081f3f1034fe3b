package io.vigil.cli.bench;

import io.vigil.cli.KafkaTopics;
import io.vigil.schemas.Transaction;
import io.vigil.simulator.SimulatedTransaction;
import io.vigil.simulator.feed.FeedClock;
import io.vigil.simulator.kafka.KafkaTransactionProducer;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end latency benchmark: for each rate, generated transactions go to the transactions
 * topic on a fixed schedule while the decisions topic is read, and each decision's latency is taken
 * from its transaction's intended send time. With {@code floors}, the same schedule through Kafka
 * alone (a topic laid out like the transactions topic) comes first, one Redis feature lookup and
 * one ONNX inference per model after the rates, and e2e p99 against the sum of the floors.
 *
 * <p>Transaction ids are {@code <run id>-<phase>-<seq>} (e.g. {@code benchm3k9x1-e2e0-1234}), so
 * the decisions of this run are told apart from other traffic; {@code seq} below {@code rate ×
 * warmup} is warm-up. Event times are the intended send times. Each rate ends when every
 * transaction is answered or the grace period is over; a rate with no answer at all stops the run,
 * since the scoring job is then not running.
 */
public final class E2eBench {

    /**
     * Where transactions go, where decisions come from, and the prefix of the Kafka floor's own
     * topic (created for the run as {@code <floorPrefix><run id>}, deleted after it).
     */
    public record Topics(String transactions, String decisions, String floorPrefix) {}

    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int SAMPLED_ENTITIES = 1_000;
    private static final int FLOOR_WARMUP = 1_000;

    private final E2eBenchConfig config;
    private final Map<String, Object> clientProperties;
    private final Map<String, Object> producerProperties;
    private final Topics topics;
    private final Iterator<SimulatedTransaction> generator;
    private final E2eBenchReport report;
    private final PrintWriter err;
    private final FeedClock clock = FeedClock.SYSTEM;
    private final String runId = "bench" + Long.toString(System.currentTimeMillis(), 36);
    private final Set<RedisLookupFloor.Entity> entities = new LinkedHashSet<>();
    private volatile boolean stopped;
    private volatile PacedSender sender;
    private boolean firstPhaseDone;

    /**
     * @param clientProperties bootstrap servers and timeouts for consumers
     * @param producerProperties the transaction producer's settings (the floor uses the same)
     */
    public E2eBench(
            E2eBenchConfig config,
            Map<String, Object> clientProperties,
            Map<String, Object> producerProperties,
            Topics topics,
            Iterator<SimulatedTransaction> generator,
            E2eBenchReport report,
            PrintWriter err) {
        this.config = config;
        this.clientProperties = Map.copyOf(clientProperties);
        this.producerProperties = Map.copyOf(producerProperties);
        this.topics = topics;
        this.generator = generator;
        this.report = report;
        this.err = err;
    }

    public String runId() {
        return runId;
    }

    /**
     * With {@code config.floors()}: the Kafka floor at every rate, then every rate end to end, then
     * the Redis and ONNX floors (the floor objects may be null without floors). Prints as it goes
     * and the machine-readable lines at the end, also when it fails.
     *
     * @param admin creates and removes the Kafka floor's topic with {@code layout}
     * @return false when {@link #stop()} cut the run short
     */
    public boolean run(
            KafkaTopics admin,
            KafkaTopics.TopicLayout layout,
            RedisLookupFloor redis,
            OnnxInferenceFloor onnx) {
        try {
            // Generates the first simulated day now rather than inside the first rate's schedule.
            generator.hasNext();
            // The Kafka floor goes first, on a quiet stack: after the top rate the jobs may still
            // be
            // working off its backlog for minutes, and the floor would measure that instead.
            List<PhaseResult> kafka = null;
            if (config.floors()) {
                kafka = kafkaFloor(admin, layout);
                if (kafka == null) {
                    return false;
                }
            }
            List<PhaseResult> e2e =
                    rates(
                            "e2e",
                            topics.transactions(),
                            topics.decisions(),
                            ResponseConsumer.decisions(),
                            config.duration(),
                            String.format(
                                    Locale.ROOT,
                                    "e2e latency, transaction intended send time -> decision"
                                            + " consumed (coordinated omission corrected), %s per"
                                            + " rate after %s:",
                                    human(config.duration()),
                                    warmupText(!config.floors())));
            if (e2e == null || !config.floors()) {
                return e2e != null;
            }
            RedisLookupFloor.Result lookup =
                    redis.measure(
                            new ArrayList<>(entities), FLOOR_WARMUP, config.redisIterations());
            report.redisFloor(lookup, config.redisIterations());
            List<OnnxInferenceFloor.Result> inference =
                    onnx.measure(FLOOR_WARMUP, config.onnxIterations());
            report.onnxFloor(inference, config.onnxIterations());
            report.ratios(e2e, kafka, lookup, inference);
            return true;
        } finally {
            report.machineReadable();
        }
    }

    // The floor's own topic, created for the run and deleted after it; null when stopped.
    private List<PhaseResult> kafkaFloor(KafkaTopics admin, KafkaTopics.TopicLayout layout) {
        String floor = topics.floorPrefix() + runId;
        admin.create(floor, layout);
        try {
            return rates(
                    "kafka-floor",
                    floor,
                    floor,
                    ResponseConsumer.transactions(),
                    config.floorDuration(),
                    String.format(
                            Locale.ROOT,
                            "floor (a) Kafka alone, produce -> consume on %s (%d partitions, the"
                                    + " settings of %s), %s per rate after %s:",
                            floor,
                            layout.partitions(),
                            topics.transactions(),
                            human(config.floorDuration()),
                            warmupText(true)));
        } finally {
            admin.delete(floor);
        }
    }

    /** Ends the run soon: the rate in progress is abandoned, finished ones are reported. */
    public void stop() {
        stopped = true;
        PacedSender current = sender;
        if (current != null) {
            current.stop();
        }
    }

    // Every rate on one producer and one response consumer; null when stopped.
    private List<PhaseResult> rates(
            String kind,
            String sendTo,
            String answersFrom,
            ResponseConsumer.Decoder decoder,
            Duration duration,
            String title) {
        List<PhaseResult> results = new ArrayList<>();
        try (KafkaTransactionProducer producer =
                        new KafkaTransactionProducer(producerProperties, sendTo, sendTo);
                ResponseConsumer answers =
                        new ResponseConsumer(clientProperties, answersFrom, decoder, err)) {
            report.tableHeader(title);
            for (int i = 0; i < config.rates().size(); i++) {
                PhaseResult r =
                        phase(kind + i, config.rates().get(i), duration, sendTo, producer, answers);
                if (r == null) {
                    return null;
                }
                report.row(kind, r);
                results.add(r);
            }
            if (answers.foreign() > 0) {
                report.line(
                        String.format(
                                Locale.ROOT,
                                "(%,d records on %s answered other transactions than this run's"
                                        + " and were ignored)",
                                answers.foreign(),
                                answersFrom));
            }
        }
        return results;
    }

    private PhaseResult phase(
            String name,
            int rate,
            Duration duration,
            String sendTo,
            KafkaTransactionProducer producer,
            ResponseConsumer answers) {
        String phaseId = runId + "-" + name;
        // Only the live topic reaches the jobs (features, decisions).
        boolean live = sendTo.equals(topics.transactions());
        Duration warmup = firstPhaseDone ? config.warmup() : config.initialWarmup();
        firstPhaseDone = true;
        RateSchedule schedule =
                RateSchedule.of(clock.nanoTime() + START_DELAY_NANOS, rate, warmup, duration);
        PhaseRecorder recorder =
                new PhaseRecorder(
                        schedule,
                        clock.currentTimeMillis()
                                + (schedule.measurementStartNanos() - clock.nanoTime()) / 1_000_000,
                        config.timelineInterval());
        answers.register(phaseId, recorder);
        try {
            PacedSender paced = new PacedSender(clock);
            sender = paced;
            if (stopped) {
                paced.stop();
            }
            PacedSender.SendStats sends =
                    paced.run(
                            schedule,
                            (seq, eventTime) -> transaction(phaseId, seq, eventTime, live),
                            producer::sendTransaction);
            producer.flush();
            long deadline = clock.nanoTime() + config.grace().toNanos();
            while (!stopped && !recorder.answeredAll(sends.sent()) && clock.nanoTime() < deadline) {
                answers.throwIfFailed();
                clock.sleepNanos(WAIT_SLICE_NANOS);
            }
            if (stopped) {
                return null;
            }
            answers.throwIfFailed();
            PhaseResult result = recorder.result(sends);
            if (result.responses() == 0) {
                throw new IllegalStateException(
                        String.format(
                                Locale.ROOT,
                                "no answer on %s to any of the %,d transactions sent to %s at"
                                        + " %,d tx/s within the %s grace period%s",
                                answers.topic(),
                                sends.sent(),
                                sendTo,
                                rate,
                                human(config.grace()),
                                live
                                        ? ": is the scoring job running?"
                                                + " (infra/bin/submit-scoring-job.sh;"
                                                + " ./vigil flink list)"
                                        : ""));
            }
            return result;
        } finally {
            answers.unregister(phaseId);
        }
    }

    private Transaction transaction(
            String phaseId, long seq, Instant eventTime, boolean sampleEntities) {
        Transaction tx = generator.next().tx();
        tx.setTransactionId(phaseId + "-" + seq);
        tx.setEventTime(eventTime);
        // The feature job sees these transactions, so their entities have rows for the Redis floor.
        if (sampleEntities && entities.size() < SAMPLED_ENTITIES) {
            entities.add(new RedisLookupFloor.Entity(tx.getCustomerId(), tx.getTerminalId()));
        }
        return tx;
    }

    private String warmupText(boolean firstPhase) {
        String text = human(config.warmup()) + " warm-up";
        return firstPhase
                ? text + " (" + human(config.initialWarmup()) + " before the first rate)"
                : text;
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
