package io.vigil.schemas.topics;

import io.vigil.schemas.DeadLetter;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.RetrainRequest;
import io.vigil.schemas.Review;
import io.vigil.schemas.Transaction;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topic names of one deployment, immutable. Defaults are {@code vigil.<suffix>}; a prefix or a
 * per-topic name can be set, each call returning a new registry.
 */
public final class TopicRegistry {

    public static final String DEFAULT_PREFIX = "vigil.";

    // Kafka's own rule for legal topic names.
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final Map<Topic, String> names;

    private TopicRegistry(Map<Topic, String> names) {
        this.names = Collections.unmodifiableMap(new EnumMap<>(names));
    }

    public static TopicRegistry defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    /** All topics named {@code prefix + suffix}, e.g. a fresh prefix per test. */
    public static TopicRegistry withPrefix(String prefix) {
        Map<Topic, String> names = new EnumMap<>(Topic.class);
        for (Topic topic : Topic.values()) {
            names.put(topic, checkedName(topic, prefix + topic.suffix()));
        }
        return new TopicRegistry(names);
    }

    public TopicRegistry withName(Topic topic, String name) {
        Map<Topic, String> renamed = new EnumMap<>(names);
        renamed.put(topic, checkedName(topic, name));
        return new TopicRegistry(renamed);
    }

    public String name(Topic topic) {
        return names.get(topic);
    }

    public TopicSpec<Transaction> transactions() {
        return spec(Topic.TRANSACTIONS, Transaction.class);
    }

    public TopicSpec<Label> labels() {
        return spec(Topic.LABELS, Label.class);
    }

    public TopicSpec<FeatureVector> features() {
        return spec(Topic.FEATURES, FeatureVector.class);
    }

    public TopicSpec<Decision> decisions() {
        return spec(Topic.DECISIONS, Decision.class);
    }

    public TopicSpec<ModelEvent> modelEvents() {
        return spec(Topic.MODEL_EVENTS, ModelEvent.class);
    }

    public TopicSpec<DriftAlert> driftAlerts() {
        return spec(Topic.DRIFT_ALERTS, DriftAlert.class);
    }

    public TopicSpec<Review> reviews() {
        return spec(Topic.REVIEWS, Review.class);
    }

    public TopicSpec<RetrainRequest> retrainRequests() {
        return spec(Topic.RETRAIN_REQUESTS, RetrainRequest.class);
    }

    public TopicSpec<DeadLetter> deadLetter() {
        return spec(Topic.DEAD_LETTER, DeadLetter.class);
    }

    /** Every topic in declaration order, e.g. for creating them. */
    public List<TopicSpec<? extends SpecificRecord>> all() {
        return List.of(
                transactions(),
                labels(),
                features(),
                decisions(),
                modelEvents(),
                driftAlerts(),
                reviews(),
                retrainRequests(),
                deadLetter());
    }

    private <T extends SpecificRecord> TopicSpec<T> spec(Topic topic, Class<T> type) {
        return new TopicSpec<>(topic, names.get(topic), topic.defaultPartitions(), type);
    }

    private static String checkedName(Topic topic, String name) {
        if (name == null || !LEGAL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "illegal Kafka topic name for "
                            + topic
                            + ": '"
                            + name
                            + "' (allowed: letters, digits, '.', '_', '-', at most 249)");
        }
        return name;
    }
}
