package io.vigil.features.redis;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureViews;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * Flink sink of {@link OnlineStoreWrite}s (Feast rows of the v1 {@link FeatureViews} and history
 * snapshots) into Redis in Feast's layout.
 *
 * <p>At-least-once: each writer flushes its buffer on every checkpoint ({@code flush}) and at end
 * of input, so a checkpoint completes only once its writes are in Redis; after a failure the writes
 * since the last checkpoint are replayed. That is enough because writes are last-writer-wins by
 * event time (see {@link FeastRedisWriter}): a replayed write is skipped or rewrites the same
 * value, and an older one never overwrites a newer one. While Redis is down the writer blocks and
 * retries, which backpressures the pipeline instead of dropping writes. Metrics: {@link
 * FeastRedisSinkMetrics}.
 */
public final class FeastRedisSink implements Sink<OnlineStoreWrite> {
    private static final long serialVersionUID = 1L;

    private final RedisSinkConfig config;

    public FeastRedisSink(RedisSinkConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public SinkWriter<OnlineStoreWrite> createWriter(WriterInitContext context) {
        SinkWriterMetricGroup group = context.metricGroup();
        FeastRedisSinkMetrics metrics =
                new FeastRedisSinkMetrics(group, group.getNumRecordsSendCounter());
        FeastRedisWriter writer = new FeastRedisWriter(config, cause -> metrics.retries.inc());
        if (context.getRestoredCheckpointId().isPresent()) {
            writer.restoredFromCheckpoint();
        }
        try {
            // Marks a store built from the start at once, so the scoring job can trust it before
            // the first row.
            writer.write(List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.close();
            throw new IllegalStateException("interrupted while marking the online store", e);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        return new FeastRedisSinkWriter(
                writer,
                config,
                metrics,
                context.getProcessingTimeService(),
                context.isObjectReuseEnabled());
    }
}
