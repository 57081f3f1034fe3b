package io.vigil.features.redis;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViewSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Feature rows for the online-store ITCases. */
final class TestRows {

    private TestRows() {}

    /**
     * One row of {@code view} for each of {@code count} entities {@code prefix0, prefix1, ...} at
     * {@code eventTime}, every feature of entity i equal to i.
     */
    static List<FeatureRow> rows(FeatureViewSpec view, String prefix, int count, long eventTime) {
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row(view, prefix + i, i, eventTime));
        }
        return rows;
    }

    /** The row of entity {@code entityId}, every feature equal to its event time in seconds. */
    static FeatureRow row(FeatureViewSpec view, String entityId, long eventTime) {
        return row(view, entityId, eventTime / 1000.0, eventTime);
    }

    private static FeatureRow row(
            FeatureViewSpec view, String entityId, double value, long eventTime) {
        double[] values = new double[view.featureCount()];
        Arrays.fill(values, value);
        return new FeatureRow(view.name(), entityId, eventTime, 0, values);
    }

    /** The rows as writes without history snapshots. */
    static List<OnlineStoreWrite> feast(List<FeatureRow> rows) {
        return rows.stream().map(OnlineStoreWrite::of).toList();
    }
}
