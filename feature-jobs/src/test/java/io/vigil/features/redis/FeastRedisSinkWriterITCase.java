package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
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
 * {@link FeastRedisSinkWriter} against a real redis-server: when it flushes, what it copies, and
 * the metrics it reports (read through the metric group, as a reporter would).
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

    private static FeatureRow row(String id, long eventTime, long ingestTime, double n) {
        return new FeatureRow(
                FeatureViews.CUSTOMER_SPENDING.name(),
                id,
                eventTime,
                ingestTime,
                new double[] {n, 1, n, 1, n, 1});
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
        assertThat(stored("A")).isPresent();
        assertThat(stored("C")).isPresent();
        assertThat(group.count("featureRowsWritten")).isEqualTo(3);
        assertThat(numRecordsSend.getCount()).isEqualTo(3);
        assertThat(group.count("redisBatchWriteMillis")).isEqualTo(1);
    }

    @Test
    void flushesAfterTheFlushIntervalAndOnCheckpoint() throws Exception {
        open(100, false);
        sinkWriter.write(row("A", 1_000, 0, 1), null);
        assertThat(time.getNumActiveTimers()).isEqualTo(1);
        time.advance(9);
        assertThat(stored("A")).isEmpty();
        time.advance(1);
        assertThat(stored("A")).isPresent();
        assertThat(time.getNumActiveTimers()).isZero();

        sinkWriter.write(row("B", 1_000, 0, 1), null);
        sinkWriter.flush(false); // checkpoint
        assertThat(stored("B")).isPresent();
        assertThat(group.count("featureRowsWritten")).isEqualTo(2);
        assertThat(group.count("redisBatchWriteMillis")).isEqualTo(2);
    }

    @Test
    void countsStaleRowsAndRecordsFreshnessOfWrittenOnes() throws Exception {
        open(100, false);
        long now = System.currentTimeMillis();
        sinkWriter.write(row("A", 2_000, now - 250, 2), null);
        sinkWriter.write(row("A", 1_000, now - 250, 1), null); // older: skipped
        sinkWriter.write(row("B", 1_000, 0, 1), null); // no ingest time: no freshness sample
        sinkWriter.flush(true);

        assertThat(group.count("featureRowsWritten")).isEqualTo(2);
        assertThat(group.count("featureRowsStale")).isEqualTo(1);
        assertThat(group.count("redisWriteRetries")).isZero();
        assertThat(group.histogram("featureFreshnessMillis").getCount()).isEqualTo(1);
        assertThat(group.histogram("featureFreshnessMillis").getStatistics().getMin())
                .isBetween(250L, 10_000L);
        assertThat(group.metrics).containsKey("featureRowsWrittenPerSecond");
        assertThat(stored("A").orElseThrow().values[0]).isEqualTo(2);
    }

    @Test
    void copiesRowsWhenObjectReuseIsOn() throws Exception {
        open(100, true);
        FeatureRow reused = row("A", 1_000, 0, 1);
        sinkWriter.write(reused, null);
        reused.entityId = "B"; // what an upstream operator reusing its output object would do
        reused.values[0] = 5;
        sinkWriter.write(reused, null);
        sinkWriter.flush(false);
        assertThat(stored("A").orElseThrow().values[0]).isEqualTo(1);
        assertThat(stored("B").orElseThrow().values[0]).isEqualTo(5);
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
