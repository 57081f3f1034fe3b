package io.vigil.cli.review;

import io.vigil.schemas.RetrainRequest;
import io.vigil.schemas.Review;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a {@link ReviewBatch} in one Kafka transaction: the reviews (key = alert id) and the
 * retrain requests (key = model) become visible to read_committed readers together or not at all.
 *
 * <p>One transactional id means one writer: a second instance with the same id fences this one,
 * after which every write fails with {@link FencedException} and the service stops writing. Not
 * thread-safe; {@link ReviewService} serializes the calls.
 */
public final class ReviewWriter implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String reviewsTopic;
    private final String requestsTopic;
    private final AvroSerde<Review> reviewSerde = AvroSerde.of(Review.class);
    private final AvroSerde<RetrainRequest> requestSerde = AvroSerde.of(RetrainRequest.class);
    private boolean fenced;

    /**
     * Opens the producer and initializes its transactions, which also aborts any transaction an
     * earlier instance with the same id left open (so readers are not held at its start).
     */
    public ReviewWriter(
            Map<String, Object> clientProperties, TopicRegistry topics, String transactionalId) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // A verdict waits for Kafka at most as long as the service's other Kafka calls, not 60 s.
        Object timeout = clientProperties.get(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG);
        if (timeout != null) {
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        }
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-review-" + transactionalId);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.reviewsTopic = topics.reviews().name();
        this.requestsTopic = topics.retrainRequests().name();
        this.producer = new KafkaProducer<>(props);
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    /** Commits the batch, or throws with nothing visible to read_committed readers. */
    public void write(ReviewBatch batch) {
        if (fenced) {
            throw new FencedException(null);
        }
        // Encoded before the transaction begins: an encoding failure then leaves none open.
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Review review : batch.reviews()) {
            records.add(
                    new ProducerRecord<>(
                            reviewsTopic,
                            utf8(review.getAlertId()),
                            reviewSerde.serialize(review)));
        }
        for (RetrainRequest request : batch.requests()) {
            records.add(
                    new ProducerRecord<>(
                            requestsTopic,
                            utf8(request.getModel()),
                            requestSerde.serialize(request)));
        }
        try {
            producer.beginTransaction();
            records.forEach(producer::send);
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            // Kafka's fatal cases: the producer cannot go on, not even to abort.
            fenced = true;
            throw new FencedException(e);
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException abortFailed) {
                // E.g. a commit that timed out: its outcome is unknown, so no further write may
                // race it. A restart rebuilds the state from what Kafka committed.
                fenced = true;
                e.addSuppressed(abortFailed);
                throw new FencedException(e);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** This writer can write no more: fenced by another instance, or left in doubt by Kafka. */
    public static final class FencedException extends RuntimeException {
        FencedException(Throwable cause) {
            super(
                    "this review service can no longer write: another instance took over its"
                            + " transactional id, or a transaction's outcome is unknown; restart"
                            + " it to rebuild the queue from Kafka",
                    cause);
        }
    }
}
