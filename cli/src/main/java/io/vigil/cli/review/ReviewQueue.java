package io.vigil.cli.review;

import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.Review;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reviewers' queue as the Kafka topics define it: every distinct drift alert (by {@code
 * alert_id}) and the first review of each. Pending = an alert without a review.
 *
 * <p>Alerts and reviews are kept apart because they arrive on two topics read independently: a
 * review may be read before the alert it decides, and still counts once the alert comes. The first
 * record of an id wins; later ones (a replayed alert, a second review) change nothing. Thread-safe.
 */
public final class ReviewQueue {

    /** Newest first, ties by id, so listings are stable. */
    private static final Comparator<QueueEntry> NEWEST_FIRST =
            Comparator.comparing((QueueEntry e) -> e.alert().getCreatedAt())
                    .reversed()
                    .thenComparing(QueueEntry::alertId);

    private final Map<String, DriftAlert> alerts = new LinkedHashMap<>();
    private final Map<String, Review> reviews = new HashMap<>();

    /** Adds an alert; false when one with its id is already known. */
    public synchronized boolean addAlert(DriftAlert alert) {
        return alerts.putIfAbsent(alert.getAlertId(), alert) == null;
    }

    /** Records a review; false when its alert already had one (the earlier review stands). */
    public synchronized boolean addReview(Review review) {
        return reviews.putIfAbsent(review.getAlertId(), review) == null;
    }

    public synchronized Optional<QueueEntry> entry(String alertId) {
        DriftAlert alert = alerts.get(alertId);
        return alert == null
                ? Optional.empty()
                : Optional.of(new QueueEntry(alert, reviews.get(alertId)));
    }

    /** The alerts of one status, newest first. */
    public synchronized List<QueueEntry> entries(AlertStatus status) {
        List<QueueEntry> selected = new ArrayList<>();
        for (DriftAlert alert : alerts.values()) {
            QueueEntry entry = new QueueEntry(alert, reviews.get(alert.getAlertId()));
            if (status.admits(entry)) {
                selected.add(entry);
            }
        }
        selected.sort(NEWEST_FIRST);
        return selected;
    }

    public synchronized int pendingCount() {
        int pending = 0;
        for (String id : alerts.keySet()) {
            if (!reviews.containsKey(id)) {
                pending++;
            }
        }
        return pending;
    }

    /** Pending alerts grouped by model and version (sorted), each group newest first. */
    public List<AlertGroup> pendingGroups() {
        Map<List<String>, List<QueueEntry>> groups = new LinkedHashMap<>();
        for (QueueEntry entry : entries(AlertStatus.PENDING)) {
            groups.computeIfAbsent(
                            List.of(entry.alert().getModel(), entry.alert().getVersion()),
                            k -> new ArrayList<>())
                    .add(entry);
        }
        List<AlertGroup> result = new ArrayList<>();
        groups.forEach(
                (key, entries) -> result.add(new AlertGroup(key.get(0), key.get(1), entries)));
        result.sort(Comparator.comparing(AlertGroup::model).thenComparing(AlertGroup::version));
        return result;
    }

    /** Pending alerts of one model version, the unit a reviewer approves or rejects at once. */
    public record AlertGroup(String model, String version, List<QueueEntry> entries) {
        public AlertGroup {
            entries = List.copyOf(entries);
        }
    }
}
