package io.vigil.cli.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.RetrainRequest;
import io.vigil.schemas.Review;
import java.util.List;

/** The API's JSON documents; instants are ISO-8601 strings in UTC. */
public final class ReviewJson {

    private final ObjectMapper mapper;

    public ReviewJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code {"status":..., "count":n, "alerts":[...]}} */
    public ObjectNode alerts(AlertStatus status, List<QueueEntry> entries) {
        ObjectNode root = mapper.createObjectNode();
        root.put("status", status.label());
        root.put("count", entries.size());
        ArrayNode alerts = root.putArray("alerts");
        entries.forEach(e -> alerts.add(entry(e)));
        return root;
    }

    /** An alert's fields, its status and, once reviewed, {@code review}. */
    public ObjectNode entry(QueueEntry entry) {
        DriftAlert a = entry.alert();
        ObjectNode node = mapper.createObjectNode();
        node.put("alert_id", a.getAlertId());
        node.put("status", (entry.pending() ? AlertStatus.PENDING : AlertStatus.REVIEWED).label());
        node.put("created_at", a.getCreatedAt().toString());
        node.put("model", a.getModel());
        node.put("version", a.getVersion());
        node.put("subject", a.getSubject());
        node.put("metric", a.getMetric().name());
        node.put("value", a.getValue());
        node.put("threshold", a.getThreshold());
        node.put("window_start", a.getWindowStart().toString());
        node.put("window_end", a.getWindowEnd().toString());
        node.put("sample_size", a.getSampleSize());
        entry.reviewIfAny().ifPresent(r -> node.set("review", review(r)));
        return node;
    }

    /** What a committed verdict wrote. */
    public ObjectNode batch(ReviewBatch batch) {
        ObjectNode root = mapper.createObjectNode();
        ArrayNode reviews = root.putArray("reviews");
        batch.reviews().forEach(r -> reviews.add(review(r)));
        ArrayNode requests = root.putArray("retrain_requests");
        for (RetrainRequest r : batch.requests()) {
            ObjectNode node = requests.addObject();
            node.put("request_id", r.getRequestId());
            node.put("model", r.getModel());
            node.put("base_version", r.getBaseVersion());
            ArrayNode ids = node.putArray("alert_ids");
            r.getAlertIds().forEach(ids::add);
            node.put("approved_by", r.getApprovedBy());
            node.put("requested_at", r.getRequestedAt().toString());
            node.put("train_from", r.getTrainFrom() == null ? null : r.getTrainFrom().toString());
            node.put("train_to", r.getTrainTo() == null ? null : r.getTrainTo().toString());
        }
        ArrayNode notes = root.putArray("notes");
        batch.notes().forEach(notes::add);
        return root;
    }

    public ObjectNode error(int status, String message) {
        ObjectNode root = mapper.createObjectNode();
        root.put("status", status);
        root.put("error", message);
        return root;
    }

    private ObjectNode review(Review r) {
        ObjectNode node = mapper.createObjectNode();
        node.put("review_id", r.getReviewId());
        node.put("alert_id", r.getAlertId());
        node.put("verdict", r.getVerdict().name());
        node.put("reviewer", r.getReviewer());
        node.put("reviewed_at", r.getReviewedAt().toString());
        node.put("comment", r.getComment());
        return node;
    }
}
