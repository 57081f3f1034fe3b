package io.vigil.cli.retrain;

import io.vigil.cli.Errors;
import io.vigil.cli.TransientFailures;
import io.vigil.schemas.RetrainRequest;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumes retrain requests as a member of a consumer group, one request at a time, and commits a
 * request's offset only once it was handled: registered, found a duplicate, or refused with a
 * reason. Delivery is therefore at least once (a crash before the commit redelivers the request),
 * which the handler makes idempotent. Committed records only ({@code read_committed}: the approval
 * service writes in Kafka transactions).
 *
 * <p>A request that cannot be decoded, or whose handler fails permanently, is refused: one line on
 * stderr, counted, committed, and the loop goes on, so one poison request never blocks the queue. A
 * transient failure ({@link TransientFailures}) is not committed: the partitions are paused for a
 * {@link Backoff} that doubles with each failed attempt, and the same request is then polled and
 * tried again, until it is handled or the loop is stopped. Paused partitions are still polled, so
 * the member stays in its group however long the wait.
 */
public final class RetrainRequestLoop implements AutoCloseable {

    /**
     * Handles one decoded request; an exception refuses the request with the exception's message,
     * or has it tried again if {@link TransientFailures#isTransient}.
     */
    public interface Handler {
        Handled handle(RetrainRequest request);
    }

    /** What was done for one request, as one line without the time it took. */
    public record Handled(RetrainOutcome outcome, String summary) {}

    /**
     * The wait before the next attempt at a request: {@code initial}, doubled, up to {@code max}.
     */
    public record Backoff(Duration initial, Duration max) {

        /** The wait after {@code failures} failed attempts (1 or more). */
        public Duration after(int failures) {
            Duration wait = initial;
            for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
                wait = wait.multipliedBy(2);
            }
            return wait.compareTo(max) < 0 ? wait : max;
        }
    }

    /** The request being tried again, and how often it failed so far. */
    private record Retry(TopicPartition partition, long offset, int failures) {}

    // A training run holds the poll loop for minutes; the group must not evict the member
    // meanwhile.
    static final Duration MAX_HANDLING_TIME = Duration.ofHours(2);

    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroSerde<RetrainRequest> serde = AvroSerde.of(RetrainRequest.class);
    private final RetrainMetrics metrics;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Clock clock;
    private final Backoff backoff;
    private Retry retry;
    private long resumeAtNanos;

    /**
     * Joins group {@code groupId} on {@code topic}; a new group starts at the topic's beginning, so
     * requests approved before the first start are handled too.
     *
     * @param clientProperties bootstrap servers and timeouts
     */
    public RetrainRequestLoop(
            Map<String, Object> clientProperties,
            String groupId,
            String topic,
            RetrainMetrics metrics,
            PrintWriter out,
            PrintWriter err,
            Clock clock,
            Backoff backoff) {
        this.metrics = metrics;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.backoff = backoff;
        this.consumer = new KafkaConsumer<>(consumerProperties(clientProperties, groupId));
        consumer.subscribe(List.of(topic));
    }

    static Map<String, Object> consumerProperties(
            Map<String, Object> clientProperties, String groupId) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) MAX_HANDLING_TIME.toMillis());
        return props;
    }

    /**
     * Handles requests until {@code maxRequests} were handled ({@code 0}: no limit) or {@code stop}
     * says so (checked at least every half second, while idle or waiting to try a request again). A
     * request still to be tried again when the loop stops is not committed.
     *
     * @return the number of requests handled
     */
    public long run(Handler handler, long maxRequests, BooleanSupplier stop) {
        long handled = 0;
        while (!stop.getAsBoolean() && (maxRequests == 0 || handled < maxRequests)) {
            if (!consumer.paused().isEmpty() && System.nanoTime() - resumeAtNanos >= 0) {
                consumer.resume(consumer.paused());
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (!handle(r, handler)) {
                    break; // rewound: the records after it come again after the request
                }
                commit(r);
                handled++;
            }
        }
        return handled;
    }

    /** Handles one record; false if it is to be tried again (rewound and paused). */
    private boolean handle(ConsumerRecord<byte[], byte[]> r, Handler handler) {
        long start = System.nanoTime();
        String what = "record " + r.topic() + "/" + r.partition() + "@" + r.offset();
        Handled done;
        try {
            RetrainRequest request =
                    serde.deserialize(r.topic(), r.partition(), r.offset(), r.value());
            what = "request " + request.getRequestId() + " (model " + request.getModel() + ")";
            done = handler.handle(request);
        } catch (MalformedRecordException e) {
            done = new Handled(RetrainOutcome.REFUSED, what + ": " + e.getMessage());
        } catch (RuntimeException e) {
            done =
                    TransientFailures.isTransient(e)
                            ? retryLater(r, what, Errors.describe(e))
                            : new Handled(RetrainOutcome.REFUSED, what + ": " + Errors.describe(e));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        metrics.record(done.outcome(), took, clock.instant());
        String seconds = String.format(Locale.ROOT, " (%.1f s)", took.toMillis() / 1e3);
        if (done.outcome() == RetrainOutcome.RETRIED) {
            err.println("vigil retrain follow: " + done.summary() + seconds);
            err.flush();
            return false;
        }
        retry = null;
        if (done.outcome() == RetrainOutcome.REFUSED) {
            err.println("vigil retrain follow: refused " + done.summary() + seconds);
            err.flush();
        } else {
            out.println(done.summary() + seconds);
            out.flush();
        }
        return true;
    }

    // Rewinding to the request and pausing its partitions leaves the wait to poll, which keeps
    // the member in its group and checks for a stop every half second.
    private Handled retryLater(ConsumerRecord<byte[], byte[]> r, String what, String failure) {
        TopicPartition partition = new TopicPartition(r.topic(), r.partition());
        int failures =
                retry != null && retry.partition().equals(partition) && retry.offset() == r.offset()
                        ? retry.failures() + 1
                        : 1;
        retry = new Retry(partition, r.offset(), failures);
        Duration wait = backoff.after(failures);
        consumer.seek(partition, r.offset());
        consumer.pause(consumer.assignment());
        resumeAtNanos = System.nanoTime() + wait.toNanos();
        return new Handled(
                RetrainOutcome.RETRIED,
                String.format(
                        Locale.ROOT,
                        "%s: attempt %d failed, trying again in %.1f s: %s",
                        what,
                        failures,
                        wait.toMillis() / 1e3,
                        failure));
    }

    private void commit(ConsumerRecord<byte[], byte[]> r) {
        try {
            consumer.commitSync(
                    Map.of(
                            new TopicPartition(r.topic(), r.partition()),
                            new OffsetAndMetadata(r.offset() + 1)));
        } catch (CommitFailedException | RebalanceInProgressException e) {
            // The partition moved on while the request was handled; its new owner gets the
            // request again and finds it handled in the registry.
            err.println(
                    "vigil retrain follow: offset "
                            + r.offset()
                            + " of "
                            + r.topic()
                            + "/"
                            + r.partition()
                            + " not committed ("
                            + e.getMessage()
                            + "); a redelivery will be found a duplicate");
            err.flush();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
