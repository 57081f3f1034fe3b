package io.vigil.features.redis;

import io.vigil.schemas.feast.FeatureRow;
import java.util.BitSet;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The sink's Flink metrics, registered on the sink writer's metric group:
 *
 * <ul>
 *   <li>{@code featureRowsWritten} (counter) and {@code featureRowsWrittenPerSecond} (meter): Feast
 *       rows that changed Redis.
 *   <li>{@code featureRowsStale} (counter): rows skipped because Redis held a row as new or newer.
 *   <li>{@code featureRowsCoalesced} (counter): rows never sent because a newer row of the same
 *       entity was in the same batch.
 *   <li>{@code historySnapshotsWritten}, {@code historySnapshotsStale}, {@code
 *       historySnapshotsCoalesced} (counters): the same for history snapshots.
 *   <li>Flink's standard {@code numRecordsSend}: writes (EVALSHAs) that changed Redis.
 *   <li>{@code redisWriteRetries} (counter): batch retries while Redis was unavailable.
 *   <li>{@code onlineStoreResetsFound} (counter): batches that found the online store emptied or
 *       replaced (its reset key gone) and marked it; the scoring job falls back for entities
 *       without a snapshot until they are written again.
 *   <li>{@code redisBatchWriteMillis} (histogram): duration of one batch write, retries included.
 *   <li>{@code featureFreshnessMillis} (histogram): Redis ack time − {@link
 *       FeatureRow#ingestTimeMillis} per written row that carries an ingest time; the source of
 *       {@code vigil_feature_freshness_seconds}.
 * </ul>
 *
 * Histograms keep a sliding window of the last {@value #HISTOGRAM_WINDOW} samples.
 */
final class FeastRedisSinkMetrics {
    static final int HISTOGRAM_WINDOW = 2048;

    final Counter written;
    final Meter writtenRate;
    final Counter stale;
    final Counter rowsCoalesced;
    final Counter historyWritten;
    final Counter historyStale;
    final Counter historiesCoalesced;
    final Counter retries;
    final Counter resetsFound;
    final Histogram batchWriteMillis;
    final Histogram freshnessMillis;
    private final Counter numRecordsSend;

    FeastRedisSinkMetrics(MetricGroup group, Counter numRecordsSend) {
        this.numRecordsSend = numRecordsSend;
        written = group.counter("featureRowsWritten");
        writtenRate = group.meter("featureRowsWrittenPerSecond", new MeterView(written));
        stale = group.counter("featureRowsStale");
        rowsCoalesced = group.counter("featureRowsCoalesced");
        historyWritten = group.counter("historySnapshotsWritten");
        historyStale = group.counter("historySnapshotsStale");
        historiesCoalesced = group.counter("historySnapshotsCoalesced");
        retries = group.counter("redisWriteRetries");
        resetsFound = group.counter("onlineStoreResetsFound");
        batchWriteMillis =
                group.histogram(
                        "redisBatchWriteMillis",
                        new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        freshnessMillis =
                group.histogram(
                        "featureFreshnessMillis",
                        new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    void recordWritten(FeastRedisWriter.Result result) {
        written.inc(result.written());
        stale.inc(result.stale());
        historyWritten.inc(result.historyWritten());
        historyStale.inc(result.historyStale());
        if (result.storeResetFound()) {
            resetsFound.inc();
        }
        BitSet changed = (BitSet) result.applied().clone();
        changed.or(result.historyApplied());
        numRecordsSend.inc(changed.cardinality());
    }
}
