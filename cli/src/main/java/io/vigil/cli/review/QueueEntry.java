package io.vigil.cli.review;

import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.Review;
import java.util.Optional;

/** One drift alert of the queue and, once a person has decided, its review. */
public record QueueEntry(DriftAlert alert, Review review) {

    public QueueEntry {
        if (alert == null) {
            throw new IllegalArgumentException("a queue entry needs its alert");
        }
    }

    public String alertId() {
        return alert.getAlertId();
    }

    public boolean pending() {
        return review == null;
    }

    public Optional<Review> reviewIfAny() {
        return Optional.ofNullable(review);
    }
}
