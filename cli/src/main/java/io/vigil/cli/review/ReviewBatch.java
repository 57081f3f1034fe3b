package io.vigil.cli.review;

import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.RetrainRequest;
import io.vigil.schemas.Review;
import io.vigil.schemas.ReviewVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What one submission writes: a {@link Review} per alert and, for an approval, one {@link
 * RetrainRequest} per model among the alerts; {@code notes} say where the request had to choose.
 */
public record ReviewBatch(List<Review> reviews, List<RetrainRequest> requests, List<String> notes) {

    public ReviewBatch {
        reviews = List.copyOf(reviews);
        requests = List.copyOf(requests);
        notes = List.copyOf(notes);
    }

    /**
     * The records of {@code submission} on {@code alerts} (the submitted alerts, all pending).
     *
     * <p>A retrain request's {@code base_version} is its alerts' version; when one model's alerts
     * name several versions, it is the version of the most recent alert (by {@code created_at}),
     * and a note says so.
     */
    public static ReviewBatch of(
            ReviewSubmission submission,
            List<DriftAlert> alerts,
            Instant now,
            Supplier<String> ids) {
        List<Review> reviews = new ArrayList<>();
        Map<String, List<DriftAlert>> byModel = new LinkedHashMap<>();
        for (DriftAlert alert : alerts) {
            reviews.add(
                    Review.newBuilder()
                            .setReviewId(ids.get())
                            .setAlertId(alert.getAlertId())
                            .setReviewer(submission.reviewer())
                            .setVerdict(submission.verdict())
                            .setComment(submission.comment())
                            .setReviewedAt(now)
                            .build());
            byModel.computeIfAbsent(alert.getModel(), m -> new ArrayList<>()).add(alert);
        }
        List<RetrainRequest> requests = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (submission.verdict() == ReviewVerdict.APPROVED) {
            byModel.forEach(
                    (model, modelAlerts) -> {
                        DriftAlert latest =
                                modelAlerts.stream()
                                        .max(
                                                Comparator.comparing(DriftAlert::getCreatedAt)
                                                        .thenComparing(DriftAlert::getAlertId))
                                        .orElseThrow();
                        TreeSet<String> versions = new TreeSet<>();
                        modelAlerts.forEach(a -> versions.add(a.getVersion()));
                        if (versions.size() > 1) {
                            notes.add(
                                    "alerts of model "
                                            + model
                                            + " name versions "
                                            + String.join(", ", versions)
                                            + "; the retrain request is based on "
                                            + latest.getVersion()
                                            + ", the version of the most recent alert "
                                            + latest.getAlertId());
                        }
                        requests.add(
                                RetrainRequest.newBuilder()
                                        .setRequestId(ids.get())
                                        .setModel(model)
                                        .setBaseVersion(latest.getVersion())
                                        .setAlertIds(
                                                modelAlerts.stream()
                                                        .map(DriftAlert::getAlertId)
                                                        .toList())
                                        .setApprovedBy(submission.reviewer())
                                        .setRequestedAt(now)
                                        .setTrainFrom(submission.trainFrom())
                                        .setTrainTo(submission.trainTo())
                                        .build());
                    });
        }
        return new ReviewBatch(reviews, requests, notes);
    }
}
