package io.vigil.schemas.feast;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entity's features of one view at one event time, as written to Redis.
 *
 * <p>A Flink POJO (public no-arg constructor, public fields of types String, long and double[]) so
 * Flink serializes it without Kryo. {@code values} follow the view's feature order; INT64 features
 * carry whole numbers. {@code ingestTimeMillis} is the wall-clock time the source transaction was
 * produced to Kafka (the Kafka record timestamp), used to measure feature freshness; 0 when
 * unknown.
 */
public class FeatureRow {
    public String viewName;
    public String entityId;
    public long eventTimeMillis;
    public long ingestTimeMillis;
    public double[] values;

    public FeatureRow() {}

    public FeatureRow(
            String viewName,
            String entityId,
            long eventTimeMillis,
            long ingestTimeMillis,
            double[] values) {
        this.viewName = viewName;
        this.entityId = entityId;
        this.eventTimeMillis = eventTimeMillis;
        this.ingestTimeMillis = ingestTimeMillis;
        this.values = values;
    }

    /** A deep copy, for sinks that buffer rows while Flink object reuse is on. */
    public FeatureRow copy() {
        return new FeatureRow(
                viewName,
                entityId,
                eventTimeMillis,
                ingestTimeMillis,
                values == null ? null : values.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureRow r
                && Objects.equals(viewName, r.viewName)
                && Objects.equals(entityId, r.entityId)
                && eventTimeMillis == r.eventTimeMillis
                && ingestTimeMillis == r.ingestTimeMillis
                && Arrays.equals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(viewName, entityId, eventTimeMillis, ingestTimeMillis)
                + 31 * Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return viewName + "[" + entityId + " @" + eventTimeMillis + "]=" + Arrays.toString(values);
    }
}
