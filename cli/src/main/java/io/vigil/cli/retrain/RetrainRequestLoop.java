package io.vigil.cli.retrain;

import io.vigil.cli.Errors;
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
 * service writes in Kafka transactions). A request that cannot be decoded, or whose handler throws,
 * is refused: one line on stderr, counted, committed, and the loop goes on, so one poison request
 * never blocks the queue.
 */
public final class RetrainRequestLoop implements AutoCloseable {

    /** Handles one decoded request; an exception refuses it with the exception's message. */
    public interface Handler {
        Handled handle(RetrainRequest request);
    }

    /** What was done for one request, as one line without the time it took. */
    public record Handled(RetrainOutcome outcome, String summary) {}

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
            Clock clock) {
        this.metrics = metrics;
        this.out = out;
        this.err = err;
        this.clock = clock;
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
     * says so (checked at least every half second while idle).
     *
     * @return the number of requests handled
     */
    public long run(Handler handler, long maxRequests, BooleanSupplier stop) {
        long handled = 0;
        while (!stop.getAsBoolean() && (maxRequests == 0 || handled < maxRequests)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                handle(r, handler);
                commit(r);
                handled++;
            }
        }
        return handled;
    }

    private void handle(ConsumerRecord<byte[], byte[]> r, Handler handler) {
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
            done = new Handled(RetrainOutcome.REFUSED, what + ": " + Errors.describe(e));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        metrics.record(done.outcome(), took, clock.instant());
        String seconds = String.format(Locale.ROOT, " (%.1f s)", took.toMillis() / 1e3);
        if (done.outcome() == RetrainOutcome.REFUSED) {
            err.println("vigil retrain follow: refused " + done.summary() + seconds);
            err.flush();
        } else {
            out.println(done.summary() + seconds);
            out.flush();
        }
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
