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
import org.apache.avro.specific.SpecificRecord;

/**
 * Every topic of the platform with its record type, record key and default partition count.
 *
 * <p>Partition counts are sized for the 2-core local stack (they cap each job's useful
 * parallelism); infra/topics.conf and docker-compose.yml create the same topics and a test keeps
 * them in step. Topics whose order matters to their consumers (model events, reviews) have one
 * partition.
 */
public enum Topic {
    TRANSACTIONS("transactions", 4, Transaction.class, "customer_id"),
    LABELS("labels", 2, Label.class, "transaction_id"),
    FEATURES("features", 4, FeatureVector.class, "transaction_id"),
    DECISIONS("decisions", 4, Decision.class, "transaction_id"),
    MODEL_EVENTS("model-events", 1, ModelEvent.class, "model"),
    DRIFT_ALERTS("drift-alerts", 1, DriftAlert.class, "model"),
    REVIEWS("reviews", 1, Review.class, "alert_id"),
    RETRAIN_REQUESTS("retrain-requests", 1, RetrainRequest.class, "model"),
    DEAD_LETTER("dead-letter", 1, DeadLetter.class, "source topic");

    private final String suffix;
    private final int defaultPartitions;
    private final Class<? extends SpecificRecord> recordClass;
    private final String key;

    Topic(
            String suffix,
            int defaultPartitions,
            Class<? extends SpecificRecord> recordClass,
            String key) {
        this.suffix = suffix;
        this.defaultPartitions = defaultPartitions;
        this.recordClass = recordClass;
        this.key = key;
    }

    /** Name without prefix, e.g. {@code transactions}. */
    public String suffix() {
        return suffix;
    }

    public int defaultPartitions() {
        return defaultPartitions;
    }

    public Class<? extends SpecificRecord> recordClass() {
        return recordClass;
    }

    /** What the Kafka record key holds. */
    public String key() {
        return key;
    }
}
