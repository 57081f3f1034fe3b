package io.vigil.cli.bench;

import io.vigil.cli.AssignedConsumer;
import io.vigil.schemas.Decision;
import io.vigil.schemas.Transaction;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the responses to a benchmark's transactions on a background thread and hands each to the
 * {@link PhaseRecorder} its transaction id names, stamped with the time its poll returned.
 *
 * <p>Transaction ids are {@code <phase id>-<seq>}. Every partition is assigned at its end offsets
 * when the consumer is created, before anything is produced, so no response is missed and no older
 * record is read ({@link AssignedConsumer}). Records of other traffic on the topic count as
 * foreign; undecodable ones are counted and the first few reported with their topic, partition and
 * offset.
 */
public final class ResponseConsumer implements AutoCloseable {

    private static final int MALFORMED_REPORTED = 5;

    /** The transaction a record answers, and the decision when the record is one. */
    public record Response(String transactionId, Decision decision) {}

    /** Decodes one record's value. */
    @FunctionalInterface
    public interface Decoder {
        Response decode(String topic, int partition, long offset, byte[] value)
                throws MalformedRecordException;
    }

    /** Records of the decisions topic. */
    public static Decoder decisions() {
        AvroSerde<Decision> serde = AvroSerde.of(Decision.class);
        return (topic, partition, offset, value) -> {
            Decision d = serde.deserialize(topic, partition, offset, value);
            return new Response(d.getTransactionId(), d);
        };
    }

    /** Records of a transactions topic (the Kafka-only floor reads back what it produced). */
    public static Decoder transactions() {
        AvroSerde<Transaction> serde = AvroSerde.of(Transaction.class);
        return (topic, partition, offset, value) ->
                new Response(
                        serde.deserialize(topic, partition, offset, value).getTransactionId(),
                        null);
    }

    private final String topic;
    private final Decoder decoder;
    private final PrintWriter err;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final Map<String, PhaseRecorder> phases = new ConcurrentHashMap<>();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * Assigns every partition of {@code topic} at its end offset and starts reading.
     *
     * @param clientProperties bootstrap servers and timeouts; deserializers are set here
     */
    public ResponseConsumer(
            Map<String, Object> clientProperties, String topic, Decoder decoder, PrintWriter err) {
        this.topic = topic;
        this.decoder = decoder;
        this.err = err;
        this.consumer =
                AssignedConsumer.open(clientProperties, "vigil-bench-" + topic, topic, false);
        this.thread = new Thread(this::consume, "vigil-bench-consumer-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    public String topic() {
        return topic;
    }

    /** Routes the responses to transactions {@code <phaseId>-<seq>} to {@code recorder}. */
    public void register(String phaseId, PhaseRecorder recorder) {
        phases.put(phaseId, recorder);
    }

    /** Responses of that phase arriving from now on count as foreign. */
    public void unregister(String phaseId) {
        phases.remove(phaseId);
    }

    /** Records whose transaction id belongs to no registered phase. */
    public long foreign() {
        return foreign.get();
    }

    public long malformed() {
        return malformed.get();
    }

    /** Rethrows what stopped the reading thread, if anything did. */
    public void throwIfFailed() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    private void consume() {
        try {
            while (!closed) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                long consumedNanos = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    route(r, consumedNanos);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                failure.set(new IllegalStateException("reading " + topic + " was interrupted", e));
            }
        } catch (RuntimeException e) {
            failure.set(new IllegalStateException("reading " + topic + " failed", e));
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void route(ConsumerRecord<byte[], byte[]> r, long consumedNanos) {
        Response response;
        try {
            response = decoder.decode(r.topic(), r.partition(), r.offset(), r.value());
        } catch (MalformedRecordException e) {
            if (malformed.incrementAndGet() <= MALFORMED_REPORTED) {
                err.println("vigil bench: skipped " + e.getMessage());
                err.flush();
            }
            return;
        }
        String id = response.transactionId();
        int dash = id.lastIndexOf('-');
        PhaseRecorder phase = dash < 0 ? null : phases.get(id.substring(0, dash));
        long seq = phase == null ? -1 : parseSeq(id.substring(dash + 1));
        if (seq < 0) {
            foreign.incrementAndGet();
            return;
        }
        phase.record(seq, consumedNanos, response.decision());
    }

    private static long parseSeq(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
