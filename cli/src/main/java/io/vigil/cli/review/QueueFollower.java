package io.vigil.cli.review;

import io.vigil.cli.AssignedConsumer;
import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.Review;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ReviewQueue} in step with Kafka: reads the drift-alerts and reviews topics from
 * their first records (committed records only) and then follows them, on one thread of its own.
 *
 * <p>It is <em>caught up</em> once it has read every record committed when it started. Until then
 * the queue may lack reviews that exist, so the service accepts no verdicts (an alert could be
 * approved twice).
 */
public final class QueueFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueFollower.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final ReviewQueue queue;
    private final ReviewMetrics metrics;
    private final Consumer<byte[], byte[]> alerts;
    private final Consumer<byte[], byte[]> reviews;
    private final Map<TopicPartition, Long> alertsEnd;
    private final Map<TopicPartition, Long> reviewsEnd;
    private final AvroSerde<DriftAlert> alertSerde = AvroSerde.of(DriftAlert.class);
    private final AvroSerde<Review> reviewSerde = AvroSerde.of(Review.class);
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    /** Opens the consumers at the topics' beginnings; {@link #start} begins reading. */
    public QueueFollower(
            Map<String, Object> clientProperties,
            TopicRegistry topics,
            ReviewQueue queue,
            ReviewMetrics metrics) {
        this(
                (clientId, topic) -> AssignedConsumer.open(clientProperties, clientId, topic, true),
                topics,
                queue,
                metrics);
    }

    /**
     * Opens both consumers with {@code open} (client id, topic); if anything fails, closes those
     * already open before throwing.
     */
    QueueFollower(
            BiFunction<String, String, Consumer<byte[], byte[]>> open,
            TopicRegistry topics,
            ReviewQueue queue,
            ReviewMetrics metrics) {
        this.queue = queue;
        this.metrics = metrics;
        Consumer<byte[], byte[]> alerts = null;
        Consumer<byte[], byte[]> reviews = null;
        try {
            alerts = open.apply("vigil-review-alerts", topics.driftAlerts().name());
            reviews = open.apply("vigil-review-reviews", topics.reviews().name());
            // A read_committed consumer's end offsets are the last stable offsets.
            this.alertsEnd = alerts.endOffsets(alerts.assignment());
            this.reviewsEnd = reviews.endOffsets(reviews.assignment());
        } catch (RuntimeException e) {
            closeQuietly(alerts, e);
            closeQuietly(reviews, e);
            throw e;
        }
        this.alerts = alerts;
        this.reviews = reviews;
        this.thread = new Thread(this::run, "vigil-review-follower");
        thread.setDaemon(true);
    }

    private static void closeQuietly(Consumer<byte[], byte[]> consumer, RuntimeException failure) {
        if (consumer == null) {
            return;
        }
        try {
            consumer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    public void start() {
        thread.start();
    }

    private boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until caught up; false on timeout. Throws if reading failed meanwhile. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp.await(50, TimeUnit.MILLISECONDS)) {
            checkHealthy();
            if (System.nanoTime() > deadline) {
                return false;
            }
        }
        return true;
    }

    /** Why the queue may be incomplete, if it may: still catching up, or reading failed. */
    public Optional<String> notReady() {
        RuntimeException e = failure;
        if (e != null) {
            return Optional.of(
                    "reading the review topics failed ("
                            + e.getMessage()
                            + "); restart the service");
        }
        return caughtUp()
                ? Optional.empty()
                : Optional.of("the review queue is still reading the topics; try again shortly");
    }

    /** Throws the error that stopped the reading thread, if one did. */
    private void checkHealthy() {
        RuntimeException e = failure;
        if (e != null) {
            throw new IllegalStateException(
                    "reading the review topics failed: " + e.getMessage(), e);
        }
    }

    private void run() {
        try {
            while (running) {
                alerts.poll(POLL).forEach(r -> take(r, alertSerde, this::addAlert));
                reviews.poll(POLL).forEach(r -> take(r, reviewSerde, queue::addReview));
                if (caughtUp.getCount() > 0
                        && reached(alerts, alertsEnd)
                        && reached(reviews, reviewsEnd)) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll: leave quietly.
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("reading the review topics failed; the queue no longer follows Kafka", e);
        } finally {
            try {
                closeConsumers();
            } finally {
                stopped.countDown();
            }
        }
    }

    private void addAlert(DriftAlert alert) {
        metrics.alertRead(queue.addAlert(alert));
    }

    private <T extends SpecificRecord> void take(
            ConsumerRecord<byte[], byte[]> r,
            AvroSerde<T> serde,
            java.util.function.Consumer<T> sink) {
        T record;
        try {
            record = serde.deserialize(r.topic(), r.partition(), r.offset(), r.value());
        } catch (MalformedRecordException e) {
            metrics.undecodable(r.topic());
            LOG.warn("skipped a record: {}", e.getMessage());
            return;
        }
        sink.accept(record);
    }

    private static boolean reached(
            Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        alerts.wakeup();
        reviews.wakeup();
        if (thread.isAlive()) {
            stopped.await(10, TimeUnit.SECONDS);
        } else if (stopped.getCount() > 0) {
            closeConsumers();
        }
    }

    /** Closes both consumers, the second even when closing the first fails. */
    private void closeConsumers() {
        try {
            alerts.close(CLOSE_TIMEOUT);
        } finally {
            reviews.close(CLOSE_TIMEOUT);
        }
    }
}
