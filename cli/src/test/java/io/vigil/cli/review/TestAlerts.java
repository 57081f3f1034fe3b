package io.vigil.cli.review;

import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.DriftMetric;
import io.vigil.schemas.Review;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;

/** Drift alerts and reviews for the review queue's tests, at named instants. */
final class TestAlerts {

    static final Instant WINDOW_START = Instant.parse("2018-06-01T00:00:00Z");
    static final Instant WINDOW_END = Instant.parse("2018-06-08T00:00:00Z");

    private TestAlerts() {}

    /** An alert raised {@code minutesAfterWindow} minutes after its window closed. */
    static DriftAlert alert(String id, String model, String version, long minutesAfterWindow) {
        return alert(id, model, version, minutesAfterWindow, "tx_amount");
    }

    static DriftAlert alert(
            String id, String model, String version, long minutesAfterWindow, String subject) {
        return DriftAlert.newBuilder()
                .setAlertId(id)
                .setCreatedAt(WINDOW_END.plusSeconds(60 * minutesAfterWindow))
                .setModel(model)
                .setVersion(version)
                .setSubject(subject)
                .setMetric(DriftMetric.PSI)
                .setValue(0.31)
                .setThreshold(0.2)
                .setWindowStart(WINDOW_START)
                .setWindowEnd(WINDOW_END)
                .setSampleSize(12_345)
                .build();
    }

    static Review review(String alertId, ReviewVerdict verdict, String reviewer) {
        return review(alertId, verdict, reviewer, null);
    }

    static Review review(String alertId, ReviewVerdict verdict, String reviewer, String comment) {
        return Review.newBuilder()
                .setReviewId("r-" + alertId + "-" + reviewer)
                .setAlertId(alertId)
                .setReviewer(reviewer)
                .setVerdict(verdict)
                .setComment(comment)
                .setReviewedAt(WINDOW_END.plusSeconds(3600))
                .build();
    }
}
