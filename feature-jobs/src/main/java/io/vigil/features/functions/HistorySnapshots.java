package io.vigil.features.functions;

import io.vigil.features.state.HistoryConfig;
import io.vigil.features.state.SlidingWindowHistory;

/**
 * The encoded {@code WindowHistorySnapshot} of an entity for the online store: its buckets in
 * {@code (asOf − retention − margin, asOf]}, the newest {@code maxBuckets} of them at most.
 */
final class HistorySnapshots {

    private HistorySnapshots() {}

    /**
     * {@code history} must have been advanced with the same margin and a lag and widths whose
     * eviction horizon is {@code retentionMillis} before {@code now}, at a {@code now <= asOf}.
     */
    static byte[] encode(
            SlidingWindowHistory history, long asOf, long retentionMillis, HistoryConfig config) {
        long completeAfter = asOf - retentionMillis - config.marginMillis();
        return history.encodedSnapshot(asOf, completeAfter, config.maxBuckets());
    }
}
