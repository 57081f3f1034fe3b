package io.vigil.features.redis;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Buffers writes, coalesced per entity and view, and sends them with {@link FeastRedisWriter} when
 * {@code batchSize} entities are buffered, when the oldest buffered write has waited {@code
 * flushInterval}, and on every {@code flush} (checkpoint, end of input). Runs on the task's mailbox
 * thread only, timers included.
 *
 * <p>Coalescing: of the writes of one entity and view that meet in the buffer, only the newest
 * Feast row (by event time; the first of equal ones) and the newest snapshot (by as-of time; the
 * last of equal ones) are sent, possibly from different writes, in one EVALSHA. The script would
 * discard the others anyway (it is last-writer-wins per group, with the same tie rules), so Redis
 * ends in the same state with fewer writes: a replay or catch-up, which sends many writes per
 * entity within one batch, costs Redis and the writer less.
 */
final class FeastRedisSinkWriter implements SinkWriter<OnlineStoreWrite> {
    private final FeastRedisWriter writer;
    private final int batchSize;
    private final long flushIntervalMillis;
    private final FeastRedisSinkMetrics metrics;
    private final ProcessingTimeService timeService;
    private final boolean copyWrites;
    private final Map<EntityView, OnlineStoreWrite> buffer;
    private boolean timerArmed;

    FeastRedisSinkWriter(
            FeastRedisWriter writer,
            RedisSinkConfig config,
            FeastRedisSinkMetrics metrics,
            ProcessingTimeService timeService,
            boolean objectReuse) {
        this.writer = writer;
        this.batchSize = config.batchSize();
        this.flushIntervalMillis = config.flushInterval().toMillis();
        this.metrics = metrics;
        this.timeService = timeService;
        // With object reuse on, upstream operators may mutate a write after handing it over.
        this.copyWrites = objectReuse;
        this.buffer = new LinkedHashMap<>(2 * batchSize);
    }

    @Override
    public void write(OnlineStoreWrite write, Context context) throws InterruptedException {
        EntityView key = new EntityView(write.viewName, write.entityId);
        OnlineStoreWrite buffered = buffer.get(key);
        if (buffered == null) {
            buffer.put(key, copyWrites ? write.copy() : write);
        } else {
            buffer.put(key, merge(buffered, write));
        }
        if (buffer.size() >= batchSize) {
            flushBuffer();
        } else if (!timerArmed) {
            timerArmed = true;
            timeService.registerTimer(
                    timeService.getCurrentProcessingTime() + flushIntervalMillis,
                    time -> {
                        timerArmed = false;
                        flushBuffer();
                    });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        flushBuffer();
    }

    @Override
    public void close() {
        writer.close();
    }

    /** What the LWW script would leave of {@code older} then {@code newer}, as one write. */
    private OnlineStoreWrite merge(OnlineStoreWrite older, OnlineStoreWrite newer) {
        FeatureRow row = older.features;
        if (newer.features != null) {
            if (row == null || newer.features.eventTimeMillis > row.eventTimeMillis) {
                metrics.rowsCoalesced.inc(row == null ? 0 : 1);
                row = copyWrites ? newer.features.copy() : newer.features;
            } else {
                metrics.rowsCoalesced.inc();
            }
        }
        long asOf = older.historyAsOfMillis;
        byte[] history = older.history;
        if (newer.history != null) {
            if (history == null || newer.historyAsOfMillis >= asOf) {
                metrics.historiesCoalesced.inc(history == null ? 0 : 1);
                asOf = newer.historyAsOfMillis;
                history = copyWrites ? newer.history.clone() : newer.history;
            } else {
                metrics.historiesCoalesced.inc();
            }
        }
        return new OnlineStoreWrite(older.viewName, older.entityId, row, asOf, history);
    }

    private void flushBuffer() throws InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        List<OnlineStoreWrite> writes = new ArrayList<>(buffer.values());
        long start = System.nanoTime();
        FeastRedisWriter.Result result = writer.write(writes);
        metrics.batchWriteMillis.update((System.nanoTime() - start) / 1_000_000);
        metrics.recordWritten(result);
        BitSet applied = result.applied();
        for (int i = applied.nextSetBit(0); i >= 0; i = applied.nextSetBit(i + 1)) {
            long ingest = writes.get(i).features.ingestTimeMillis;
            if (ingest > 0) {
                metrics.freshnessMillis.update(Math.max(0, result.ackTimeMillis() - ingest));
            }
        }
        buffer.clear();
    }

    /** The coalescing key: one Redis hash and the view's group of fields in it. */
    private record EntityView(String view, String entity) {}
}
