package io.vigil.cli.guard;

import io.vigil.cli.AssignedConsumer;
import io.vigil.cli.Errors;
import io.vigil.models.registry.ModelRegistry;
import io.vigil.schemas.Decision;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Reads the decisions topic into a {@link RollbackGuard} and has it judge the serving versions
 * every {@code evaluateEvery}. It starts one window back on every partition (by record timestamp),
 * so a restarted guard judges on the same figures instead of waiting a window; it needs no consumer
 * group and commits nothing.
 */
public final class GuardLoop implements AutoCloseable {

    private static final int MALFORMED_REPORTED = 5;
    private static final int FETCH_MIN_BYTES = 64 * 1024;
    private static final int FETCH_MAX_WAIT_MS = 500;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroSerde<Decision> serde = AvroSerde.of(Decision.class);
    private final RollbackGuard guard;
    private final GuardMetrics metrics;
    private final Duration evaluateEvery;
    private final PrintWriter err;
    private final Clock clock;

    private GuardLoop(
            KafkaConsumer<byte[], byte[]> consumer,
            RollbackGuard guard,
            GuardMetrics metrics,
            Duration evaluateEvery,
            PrintWriter err,
            Clock clock) {
        this.consumer = consumer;
        this.guard = guard;
        this.metrics = metrics;
        this.evaluateEvery = evaluateEvery;
        this.err = err;
        this.clock = clock;
    }

    /**
     * Serves the metrics on {@code metricsPort} ({@code 0}: any free port; {@code null}: not
     * served) and assigns the decisions {@code topic} one window back.
     */
    public static GuardLoop start(
            ModelRegistry registry,
            GuardLimits limits,
            String actor,
            Integer metricsPort,
            Map<String, Object> clientProperties,
            String topic,
            Duration evaluateEvery,
            PrintWriter out,
            PrintWriter err,
            Clock clock) {
        GuardMetrics metrics = GuardMetrics.open(metricsPort);
        try {
            // Judged every few seconds, so fetches may wait to fill: the client's defaults fetched
            // one or two decisions per request, ~100 µs of CPU per decision at 500 a second.
            Map<String, Object> batched = new HashMap<>(clientProperties);
            batched.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
            batched.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
            KafkaConsumer<byte[], byte[]> consumer =
                    AssignedConsumer.openAt(
                            batched, "vigil-guard", topic, clock.instant().minus(limits.window()));
            return new GuardLoop(
                    consumer,
                    new RollbackGuard(registry, limits, actor, metrics, out, clock),
                    metrics,
                    evaluateEvery,
                    err,
                    clock);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** The port the metrics are served on. */
    public int metricsPort() {
        return metrics.endpoint.port();
    }

    /** Reads and judges until {@code stopped} says so. */
    public void run(BooleanSupplier stopped) {
        long nextEvaluation = clock.millis();
        while (!stopped.getAsBoolean()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                try {
                    guard.observe(
                            serde.deserialize(r.topic(), r.partition(), r.offset(), r.value()));
                } catch (MalformedRecordException e) {
                    metrics.malformed.inc();
                    if (metrics.malformed.get() <= MALFORMED_REPORTED) {
                        err.println("vigil guard: skipped " + e.getMessage());
                        err.flush();
                    }
                }
            }
            if (clock.millis() >= nextEvaluation) {
                evaluate();
                nextEvaluation = clock.millis() + evaluateEvery.toMillis();
            }
        }
    }

    /**
     * A registry that cannot be read or written (a full disk, a held lock, a broker that refuses
     * the model event) fails one evaluation, not the guard: the next one tries again with the
     * counts still in place.
     */
    private void evaluate() {
        try {
            guard.evaluate();
        } catch (RuntimeException e) {
            metrics.evaluationFailures.inc();
            err.println(
                    "vigil guard: judging the serving versions failed, trying again: "
                            + Errors.describe(e));
            err.flush();
        }
    }

    @Override
    public void close() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } finally {
            metrics.close();
        }
    }
}
