package io.vigil.cli.review;

import static io.vigil.cli.review.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.ReviewVerdict;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

/**
 * The verdict rules on an in-memory queue; the writer here records batches (the Kafka writer is
 * exercised in ReviewQueueITCase).
 */
class ReviewServiceTest {

    private static final Instant NOW = Instant.parse("2018-06-09T10:00:00.123456Z");

    private final ReviewQueue queue = new ReviewQueue();
    private final ReviewMetrics metrics = new ReviewMetrics(queue);
    private final List<ReviewBatch> written = new ArrayList<>();
    private Optional<String> notReady = Optional.empty();
    private RuntimeException writeFailure;

    private final ReviewService service =
            new ReviewService(
                    queue,
                    batch -> {
                        if (writeFailure != null) {
                            throw writeFailure;
                        }
                        written.add(batch);
                    },
                    metrics,
                    () -> notReady,
                    Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anApprovalIsMarkedReviewedOnceWrittenAndCounted() {
        queue.addAlert(alert("a1", "alpha", "3", 0));
        queue.addAlert(alert("a2", "alpha", "3", 1));
        queue.addAlert(alert("b1", "beta", "1", 0));

        ReviewBatch batch = service.review(approve("a1", "a2"));

        assertThat(written).containsExactly(batch);
        assertThat(batch.requests()).singleElement();
        assertThat(queue.entries(AlertStatus.PENDING))
                .extracting(QueueEntry::alertId)
                .containsExactly("b1");
        // Milliseconds, as Avro keeps them: a restarted service reads back the same instant.
        assertThat(queue.entry("a1").orElseThrow().review().getReviewedAt())
                .isEqualTo(Instant.parse("2018-06-09T10:00:00.123Z"));
        assertThat(MetricSamples.value(metrics.registry, "vigil_reviews", "verdict", "APPROVED"))
                .isEqualTo(2);
        assertThat(MetricSamples.value(metrics.registry, "vigil_reviews", "verdict", "REJECTED"))
                .isZero();
        assertThat(MetricSamples.value(metrics.registry, "vigil_retrain_requests")).isEqualTo(1);
        assertThat(MetricSamples.value(metrics.registry, "vigil_reviews_pending")).isEqualTo(1);
    }

    @Test
    void anUnknownAlertIs404AndNothingIsWritten() {
        queue.addAlert(alert("a1", "alpha", "3", 0));

        assertRefused(
                () -> service.review(approve("a1", "zz", "yy")), 404, "no such alert: zz, yy");
        assertThat(written).isEmpty();
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void anAlreadyReviewedAlertIs409AndNothingIsWritten() {
        queue.addAlert(alert("a1", "alpha", "3", 0));
        queue.addAlert(alert("a2", "alpha", "3", 0));
        service.review(approve("a1"));

        assertRefused(
                () -> service.review(approve("a2", "a1")),
                409,
                "already reviewed: a1 (APPROVED by alice at 2018-06-09T10:00:00.123Z)");
        assertThat(written).hasSize(1);
        assertThat(queue.entry("a2").orElseThrow().pending()).isTrue();
    }

    @Test
    void verdictsWaitUntilTheQueueHasCaughtUp() {
        queue.addAlert(alert("a1", "alpha", "3", 0));
        notReady = Optional.of("still reading");

        assertRefused(() -> service.review(approve("a1")), 503, "still reading");
        assertThat(written).isEmpty();
    }

    @Test
    void aFailedWriteLeavesTheAlertsPending() {
        queue.addAlert(alert("a1", "alpha", "3", 0));
        writeFailure = new KafkaException("broker gone");

        assertRefused(
                () -> service.review(approve("a1")),
                503,
                "Kafka did not commit the review, nothing was written: broker gone");
        assertThat(queue.entry("a1").orElseThrow().pending()).isTrue();
        assertThat(MetricSamples.value(metrics.registry, "vigil_reviews", "verdict", "APPROVED"))
                .isZero();
    }

    private static ReviewSubmission approve(String... ids) {
        return new ReviewSubmission(
                List.of(ids), ReviewVerdict.APPROVED, "alice", null, null, null);
    }

    private static void assertRefused(Runnable call, int status, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        ReviewException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(message);
    }
}
