package io.vigil.features.records;

import io.vigil.schemas.feast.FeatureRow;
import java.util.Objects;

/**
 * One write to an entity's Redis hash for one feature view, with up to two groups of fields: the
 * Feast row ({@code features}: feature fields and {@code _ts:<view>}) and Vigil's history snapshot
 * ({@code history}, an encoded {@code WindowHistorySnapshot} as of {@code historyAsOfMillis}:
 * fields {@code _vigil_history:<view>} and {@code _vigil_ts:<view>}). Either group may be absent
 * (null), not both. Each group is last-writer-wins on its own time (see {@code FeastRedisWriter}).
 *
 * <p>A Flink POJO (public fields, no-arg constructor): no Kryo.
 */
public class OnlineStoreWrite {

    public String viewName;
    public String entityId;
    public FeatureRow features;
    public long historyAsOfMillis;
    public byte[] history;

    public OnlineStoreWrite() {}

    public OnlineStoreWrite(
            String viewName,
            String entityId,
            FeatureRow features,
            long historyAsOfMillis,
            byte[] history) {
        this.viewName = Objects.requireNonNull(viewName, "viewName");
        this.entityId = Objects.requireNonNull(entityId, "entityId");
        if (features == null && history == null) {
            throw new IllegalArgumentException(
                    "a write of " + viewName + " " + entityId + " needs features or a history");
        }
        if (features != null
                && (!viewName.equals(features.viewName) || !entityId.equals(features.entityId))) {
            throw new IllegalArgumentException(
                    "row " + features + " given to a write of " + viewName + " " + entityId);
        }
        this.features = features;
        this.historyAsOfMillis = historyAsOfMillis;
        this.history = history;
    }

    /** A Feast row alone. */
    public static OnlineStoreWrite of(FeatureRow features) {
        return new OnlineStoreWrite(features.viewName, features.entityId, features, 0, null);
    }

    /** A history snapshot alone. */
    public static OnlineStoreWrite ofHistory(
            String viewName, String entityId, long asOfMillis, byte[] history) {
        return new OnlineStoreWrite(
                viewName, entityId, null, asOfMillis, Objects.requireNonNull(history, "history"));
    }

    /** A deep copy, for sinks that buffer writes while Flink object reuse is on. */
    public OnlineStoreWrite copy() {
        return new OnlineStoreWrite(
                viewName,
                entityId,
                features == null ? null : features.copy(),
                historyAsOfMillis,
                history == null ? null : history.clone());
    }

    @Override
    public String toString() {
        return viewName
                + "["
                + entityId
                + "]"
                + (features == null ? "" : " features @" + features.eventTimeMillis)
                + (history == null
                        ? ""
                        : " history @" + historyAsOfMillis + " (" + history.length + " bytes)");
    }
}
