package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.testkit.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * {@link FeastRedisSinkWriter} against a real redis-server: when it flushes, how it coalesces, what
 * it copies, how a failed batch surfaces, and the metrics it reports (read through the metric
 * group, as a reporter would). A batch is written on the writer's I/O thread, so what a full batch
 * or a timer sends is awaited; {@code flush} itself waits.
 */
class FeastRedisSinkWriterITCase {
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    private final CapturingMetricGroup group = new CapturingMetricGroup();
    private final SimpleCounter numRecordsSend = new SimpleCounter();
    private final TestProcessingTimeService time = new TestProcessingTimeService();
    private RedisClient client;
    private FeastRedisReader reader;
    private FeastRedisSinkWriter sinkWriter;

    @BeforeEach
    void setUp() throws Exception {
        REDIS.flushAll();
        client = RedisClient.create(REDIS.host(), REDIS.port());
        reader = new FeastRedisReader(client, "vigil");
    }

    @AfterEach
    void tearDown() {
        sinkWriter.close();
        client.close();
    }

    private void open(int batchSize, boolean objectReuse) {
        RedisSinkConfig config =
                RedisSinkConfig.of(REDIS.host(), REDIS.port(), "vigil")
                        .withBatching(batchSize, Duration.ofMillis(10));
        FeastRedisSinkMetrics metrics = new FeastRedisSinkMetrics(group, numRecordsSend);
        sinkWriter =
                new FeastRedisSinkWriter(
                        new FeastRedisWriter(config, cause -> metrics.retries.inc()),
                        config,
                        metrics,
                        time,
                        objectReuse);
    }

    private static OnlineStoreWrite row(String id, long eventTime, long ingestTime, double n) {
        return OnlineStoreWrite.of(
                new FeatureRow(
                        FeatureViews.CUSTOMER_SPENDING.name(),
                        id,
                        eventTime,
                        ingestTime,
                        new double[] {n, 1, n, 1, n, 1}));
    }

    private static OnlineStoreWrite withHistory(OnlineStoreWrite row, long asOf, long value) {
        return new OnlineStoreWrite(
                row.viewName, row.entityId, row.features, asOf, history(asOf, value));
    }

    private static OnlineStoreWrite historyOnly(String id, long asOf, long value) {
        return OnlineStoreWrite.ofHistory(
                FeatureViews.CUSTOMER_SPENDING.name(), id, asOf, history(asOf, value));
    }

    private static byte[] history(long asOf, long value) {
        return WindowHistoryCodec.encode(
                new WindowHistorySnapshot(
                        asOf, asOf - 100, new long[] {asOf}, new long[] {1}, new long[] {value}));
    }

    private WindowHistorySnapshot storedHistory(String id) {
        return WindowHistoryCodec.decode(
                client.hget(
                        FeatureViews.CUSTOMER_SPENDING.redisKey(id, "vigil"),
                        FeatureViews.CUSTOMER_SPENDING.historyField()));
    }

    private Optional<FeatureRow> stored(String id) {
        return reader.read(FeatureViews.CUSTOMER_SPENDING, List.of(id)).get(0);
    }

    @Test
    void flushesWhenTheBatchIsFull() throws Exception {
        open(3, false);
        sinkWriter.write(row("A", 1_000, 0, 1), null);
        sinkWriter.write(row("B", 1_000, 0, 1), null);
        assertThat(stored("A")).isEmpty();
        sinkWriter.write(row("C", 1_000, 0, 1), null);
        await().untilAsserted(() -> assertThat(group.count("redisBatchWriteMillis")).isEqualTo(1));
        assertThat(stored("A")).isPresent();
        assertThat(stored("C")).isPresent();
        assertThat(group.count("featureRowsWritten")).isEqualTo(3);
        assertThat(numRecordsSend.getCount()).isEqualTo(3);
    }

    @Test
    void flushesAfterTheFlushIntervalAndOnCheckpoint() throws Exception {
        open(100, false);
        sinkWriter.write(row("A", 1_000, 0, 1), null);
        assertThat(time.getNumActiveTimers()).isEqualTo(1);
        time.advance(9);
        assertThat(stored("A")).isEmpty();
        time.advance(1);
        await().untilAsserted(() -> assertThat(stored("A")).isPresent());
        assertThat(time.getNumActiveTimers()).isZero();

        sinkWriter.write(row("B", 1_000, 0, 1), null);
        sinkWriter.flush(false); // checkpoint
        assertThat(stored("B")).isPresent();
        assertThat(group.count("featureRowsWritten")).isEqualTo(2);
        assertThat(group.count("redisBatchWriteMillis")).isEqualTo(2);
    }

    @Test
    void coalescesTheWritesOfOneEntityWithinABatch() throws Exception {
        open(2, false);
        sinkWriter.write(withHistory(row("A", 1_000, 0, 1), 1_000, 1), null);
        sinkWriter.write(withHistory(row("A", 3_000, 0, 3), 3_000, 3), null);
        sinkWriter.write(row("A", 2_000, 0, 2), null); // older row: never sent
        sinkWriter.write(row("A", 3_000, 0, 4), null); // same time: the first one stays
        sinkWriter.write(historyOnly("A", 3_000, 5), null); // same as-of time: the last one wins
        assertThat(stored("A")).as("one entity does not fill a batch of 2").isEmpty();
        sinkWriter.write(row("B", 1_000, 0, 1), null);
        sinkWriter.flush(false);

        assertThat(stored("A").orElseThrow().values[0]).isEqualTo(3);
        assertThat(storedHistory("A").values()).containsExactly(5);
        assertThat(group.count("featureRowsCoalesced")).isEqualTo(3);
        assertThat(group.count("historySnapshotsCoalesced")).isEqualTo(2);
        assertThat(group.count("featureRowsWritten")).isEqualTo(2);
        assertThat(group.count("historySnapshotsWritten")).isEqualTo(1);
        assertThat(numRecordsSend.getCount()).as("one EVALSHA per entity").isEqualTo(2);
    }

    @Test
    void aCoalescedWriteMayTakeItsRowAndItsSnapshotFromDifferentWrites() throws Exception {
        open(100, false);
        sinkWriter.write(withHistory(row("T", 1_000, 0, 1), 1_000, 1), null);
        sinkWriter.write(historyOnly("T", 2_000, 2), null); // a terminal's label-only write
        sinkWriter.write(withHistory(row("T", 500, 0, 9), 500, 9), null); // older in both groups
        sinkWriter.flush(false);

        assertThat(stored("T").orElseThrow().eventTimeMillis).isEqualTo(1_000);
        assertThat(storedHistory("T").asOfMillis()).isEqualTo(2_000);
        assertThat(numRecordsSend.getCount()).isEqualTo(1);
    }

    @Test
    void countsTheBatchesThatFoundTheStoreEmptied() throws Exception {
        open(100, false);
        sinkWriter.write(row("E", 1_000, 0, 1), null);
        sinkWriter.flush(false);
        assertThat(group.count("onlineStoreResetsFound")).isZero();

        REDIS.flushAll();
        sinkWriter.write(row("E", 2_000, 0, 2), null);
        sinkWriter.flush(false);
        sinkWriter.write(row("E", 3_000, 0, 3), null);
        sinkWriter.flush(false);

        assertThat(group.count("onlineStoreResetsFound")).isEqualTo(1);
    }

    @Test
    void countsStaleRowsAndRecordsFreshnessOfWrittenOnes() throws Exception {
        open(100, false);
        long now = System.currentTimeMillis();
        sinkWriter.write(withHistory(row("A", 2_000, now - 250, 2), 2_000, 2), null);
        sinkWriter.flush(false);
        // Another batch: Redis, not the buffer, finds these older than what it holds.
        sinkWriter.write(withHistory(row("A", 1_000, now - 250, 1), 1_000, 1), null);
        sinkWriter.write(row("B", 1_000, 0, 1), null); // no ingest time: no freshness sample
        sinkWriter.flush(true);

        assertThat(group.count("featureRowsWritten")).isEqualTo(2);
        assertThat(group.count("featureRowsStale")).isEqualTo(1);
        assertThat(group.count("historySnapshotsWritten")).isEqualTo(1);
        assertThat(group.count("historySnapshotsStale")).isEqualTo(1);
        assertThat(group.count("redisWriteRetries")).isZero();
        assertThat(group.histogram("featureFreshnessMillis").getCount()).isEqualTo(1);
        assertThat(group.histogram("featureFreshnessMillis").getStatistics().getMin())
                .isBetween(250L, 10_000L);
        assertThat(group.metrics).containsKey("featureRowsWrittenPerSecond");
        assertThat(stored("A").orElseThrow().values[0]).isEqualTo(2);
    }

    @Test
    void copiesWritesWhenObjectReuseIsOn() throws Exception {
        open(100, true);
        OnlineStoreWrite reused = withHistory(row("A", 1_000, 0, 1), 1_000, 1);
        sinkWriter.write(reused, null);
        // What an upstream operator reusing its output object would do.
        reused.entityId = "B";
        reused.features.entityId = "B";
        reused.features.values[0] = 5;
        reused.history[reused.history.length - 1] = 4; // the value of the one bucket: 2
        sinkWriter.write(reused, null);
        sinkWriter.flush(false);
        assertThat(stored("A").orElseThrow().values[0]).isEqualTo(1);
        assertThat(stored("B").orElseThrow().values[0]).isEqualTo(5);
        assertThat(storedHistory("A").values()).containsExactly(1);
        assertThat(storedHistory("B").values()).containsExactly(2);
    }

    @Test
    void aFailedBatchFailsTheNextCallAndTheCheckpoint() throws Exception {
        open(1, false);
        OnlineStoreWrite unknownView =
                OnlineStoreWrite.ofHistory("no_such_view", "A", 1_000, history(1_000, 1));
        sinkWriter.write(unknownView, null); // a full batch: sent, fails on the I/O thread
        assertThatThrownBy(() -> sinkWriter.flush(false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("writing to Redis failed")
                .hasMessageContaining("unknown feature view 'no_such_view'");
        assertThatThrownBy(() -> sinkWriter.write(row("B", 1_000, 0, 1), null))
                .hasMessageContaining("writing to Redis failed");
    }

    @Test
    void countsRetriesWhileRedisIsDown() throws Exception {
        open(100, false);
        sinkWriter.write(row("A", 1_000, 0, 1), null);
        REDIS.stop();
        Thread restarter =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(500);
                                REDIS.start();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        restarter.start();
        sinkWriter.flush(false); // blocks until Redis is back
        restarter.join();
        assertThat(group.count("redisWriteRetries")).isPositive();
        client.close();
        client = RedisClient.create(REDIS.host(), REDIS.port());
        reader = new FeastRedisReader(client, "vigil");
        assertThat(stored("A")).isPresent();
    }
}
