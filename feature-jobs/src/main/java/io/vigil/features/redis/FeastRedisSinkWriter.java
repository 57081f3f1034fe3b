package io.vigil.features.redis;

import io.vigil.schemas.feast.FeatureRow;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Buffers rows and writes them with {@link FeastRedisWriter} when {@code batchSize} rows are
 * buffered, when the oldest buffered row has waited {@code flushInterval}, and on every {@code
 * flush} (checkpoint, end of input). Runs on the task's mailbox thread only, timers included.
 */
final class FeastRedisSinkWriter implements SinkWriter<FeatureRow> {
    private final FeastRedisWriter writer;
    private final int batchSize;
    private final long flushIntervalMillis;
    private final FeastRedisSinkMetrics metrics;
    private final ProcessingTimeService timeService;
    private final boolean copyRows;
    private final List<FeatureRow> buffer;
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
        // With object reuse on, upstream operators may mutate a row after handing it over.
        this.copyRows = objectReuse;
        this.buffer = new ArrayList<>(batchSize);
    }

    @Override
    public void write(FeatureRow row, Context context) throws InterruptedException {
        buffer.add(copyRows ? row.copy() : row);
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

    private void flushBuffer() throws InterruptedException {
        if (buffer.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        FeastRedisWriter.Result result = writer.write(buffer);
        metrics.batchWriteMillis.update((System.nanoTime() - start) / 1_000_000);
        metrics.recordWritten(result.written());
        metrics.stale.inc(result.stale());
        BitSet applied = result.applied();
        for (int i = applied.nextSetBit(0); i >= 0; i = applied.nextSetBit(i + 1)) {
            long ingest = buffer.get(i).ingestTimeMillis;
            if (ingest > 0) {
                metrics.freshnessMillis.update(Math.max(0, result.ackTimeMillis() - ingest));
            }
        }
        buffer.clear();
    }
}
