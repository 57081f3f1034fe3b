package io.vigil.cli.review;

import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.Review;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;

/**
 * Applies reviewers' verdicts: checks them against the queue, writes the records, and only after
 * the write committed marks the alerts reviewed.
 *
 * <p>Verdicts are serialized (one at a time per service): checking "still pending" and writing must
 * not interleave, or two concurrent approvals of one alert would both pass the check and produce
 * two reviews and two retrain requests.
 */
public final class ReviewService {

    /** Why the queue cannot take verdicts yet (e.g. still reading the topics), if it cannot. */
    @FunctionalInterface
    public interface Readiness {
        Optional<String> notReady();
    }

    /** Where a committed batch goes: {@link ReviewWriter} in the service. */
    @FunctionalInterface
    public interface BatchWriter {
        void write(ReviewBatch batch);
    }

    private final ReviewQueue queue;
    private final BatchWriter writer;
    private final ReviewMetrics metrics;
    private final Readiness readiness;
    private final Clock clock;
    private static final Supplier<String> IDS = () -> UUID.randomUUID().toString();

    /**
     * @param readiness whether the queue holds everything committed so far; verdicts wait for it
     */
    public ReviewService(
            ReviewQueue queue,
            BatchWriter writer,
            ReviewMetrics metrics,
            Readiness readiness,
            Clock clock) {
        this.queue = queue;
        this.writer = writer;
        this.metrics = metrics;
        this.readiness = readiness;
        this.clock = clock;
    }

    public ReviewQueue queue() {
        return queue;
    }

    public Optional<String> notReady() {
        return readiness.notReady();
    }

    /**
     * Writes the verdict on every alert of {@code submission}, or nothing: 404 when an alert is
     * unknown, 409 when one is already reviewed, 503 while the queue is still catching up or when
     * Kafka did not commit.
     */
    public synchronized ReviewBatch review(ReviewSubmission submission) {
        Optional<String> notReady = readiness.notReady();
        if (notReady.isPresent()) {
            throw new ReviewException(ReviewException.UNAVAILABLE, notReady.get());
        }
        List<String> unknown = new ArrayList<>();
        List<String> decided = new ArrayList<>();
        List<DriftAlert> alerts = new ArrayList<>();
        for (String id : submission.alertIds()) {
            Optional<QueueEntry> entry = queue.entry(id);
            if (entry.isEmpty()) {
                unknown.add(id);
            } else if (!entry.get().pending()) {
                Review review = entry.get().review();
                decided.add(
                        id
                                + " ("
                                + review.getVerdict()
                                + " by "
                                + review.getReviewer()
                                + " at "
                                + review.getReviewedAt()
                                + ")");
            } else {
                alerts.add(entry.get().alert());
            }
        }
        if (!unknown.isEmpty()) {
            throw new ReviewException(
                    ReviewException.NOT_FOUND,
                    "no such alert: " + String.join(", ", unknown) + "; nothing was written");
        }
        if (!decided.isEmpty()) {
            throw new ReviewException(
                    ReviewException.CONFLICT,
                    "already reviewed: " + String.join(", ", decided) + "; nothing was written");
        }
        // Avro keeps milliseconds: the queue holds what a restarted service will read back.
        ReviewBatch batch =
                ReviewBatch.of(
                        submission, alerts, clock.instant().truncatedTo(ChronoUnit.MILLIS), IDS);
        try {
            writer.write(batch);
        } catch (ReviewWriter.FencedException e) {
            throw new ReviewException(ReviewException.UNAVAILABLE, e.getMessage(), e);
        } catch (KafkaException e) {
            throw new ReviewException(
                    ReviewException.UNAVAILABLE,
                    "Kafka did not commit the review, nothing was written: " + e.getMessage(),
                    e);
        }
        batch.reviews().forEach(queue::addReview);
        metrics.committed(batch);
        return batch;
    }
}
