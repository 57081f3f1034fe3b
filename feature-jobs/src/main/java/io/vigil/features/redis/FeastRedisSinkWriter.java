package io.vigil.features.redis;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Buffers writes, coalesced per entity and view, and sends them with {@link FeastRedisWriter} when
 * {@code batchSize} entities are buffered, when the oldest buffered write has waited {@code
 * flushInterval}, and on every {@code flush} (checkpoint, end of input). Buffering runs on the
 * task's mailbox thread, timers included; the round trips (and the retries while Redis is down) run
 * on the writer's own I/O thread, one batch at a time, so the task goes on computing and coalescing
 * while a batch is in flight instead of waiting for Redis. A full buffer waits for the batch in
 * flight (backpressure); a due flush that finds one in flight tries again a millisecond later;
 * {@code flush} returns only once every buffered write is in Redis, so a checkpoint still covers
 * them. A failed batch fails the next call on the task thread.
 *
 * <p>Coalescing: of the writes of one entity and view that meet in the buffer, only the newest
 * Feast row (by event time; the first of equal ones) and the newest snapshot (by as-of time; the
 * last of equal ones) are sent, possibly from different writes, in one EVALSHA. The script would
 * discard the others anyway (it is last-writer-wins per group, with the same tie rules), so Redis
 * ends in the same state with fewer writes: a replay or catch-up, which sends many writes per
 * entity within one batch, costs Redis and the writer less.
 */
final class FeastRedisSinkWriter implements SinkWriter<OnlineStoreWrite> {
    private static final long BUSY_RETRY_MILLIS = 1;

    private final FeastRedisWriter writer;
    private final int batchSize;
    private final long flushIntervalMillis;
    private final FeastRedisSinkMetrics metrics;
    private final ProcessingTimeService timeService;
    private final boolean copyWrites;
    private final Map<EntityView, OnlineStoreWrite> buffer;
    private final ExecutorService io;
    // One permit: the batch in flight. Released by the I/O thread when the batch is done.
    private final Semaphore inFlight = new Semaphore(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
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
        this.io =
                Executors.newSingleThreadExecutor(
                        task -> {
                            Thread t = new Thread(task, "vigil-feast-writer-io");
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    public void write(OnlineStoreWrite write, Context context) throws InterruptedException {
        rethrowFailure();
        EntityView key = new EntityView(write.viewName, write.entityId);
        OnlineStoreWrite buffered = buffer.get(key);
        if (buffered == null) {
            buffer.put(key, copyWrites ? write.copy() : write);
        } else {
            buffer.put(key, merge(buffered, write));
        }
        if (buffer.size() >= batchSize) {
            send(true);
        } else if (!timerArmed) {
            armTimer(flushIntervalMillis);
        }
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        send(true);
        inFlight.acquire(); // the batch just sent is done
        inFlight.release();
        rethrowFailure();
    }

    @Override
    public void close() {
        // Interrupts a retry loop; writes not yet in Redis are replayed from the last checkpoint.
        io.shutdownNow();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }

    private void armTimer(long delayMillis) {
        timerArmed = true;
        timeService.registerTimer(
                timeService.getCurrentProcessingTime() + delayMillis,
                time -> {
                    timerArmed = false;
                    if (!send(false)) {
                        armTimer(BUSY_RETRY_MILLIS);
                    }
                });
    }

    /**
     * Hands the buffer to the I/O thread; if a batch is in flight, waits for it when {@code block},
     * else returns false and keeps buffering.
     */
    private boolean send(boolean block) throws InterruptedException {
        rethrowFailure();
        if (buffer.isEmpty()) {
            return true;
        }
        if (!inFlight.tryAcquire()) {
            if (!block) {
                return false;
            }
            inFlight.acquire();
        }
        List<OnlineStoreWrite> writes = new ArrayList<>(buffer.values());
        buffer.clear();
        io.execute(
                () -> {
                    try {
                        writeNow(writes);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        inFlight.release();
                    }
                });
        return true;
    }

    private void rethrowFailure() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("writing to Redis failed: " + t.getMessage(), t);
        }
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

    /** On the I/O thread: one batch, retried while Redis is unavailable, and its metrics. */
    private void writeNow(List<OnlineStoreWrite> writes) throws InterruptedException {
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
    }

    /** The coalescing key: one Redis hash and the view's group of fields in it. */
    private record EntityView(String view, String entity) {}
}
