package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.testkit.FlinkMiniCluster;
import io.vigil.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** {@link FeastRedisSink} in a Flink MiniCluster writing to a real redis-server. */
class FeastRedisSinkITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = FlinkMiniCluster.extension();
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    @Test
    void writesTheNewestRowAndSnapshotOfEveryEntity() throws Exception {
        REDIS.flushAll();
        int entities = 300;
        List<OnlineStoreWrite> writes = new ArrayList<>();
        // Each entity gets 5 event times, newest in the middle, so order alone cannot win.
        long[] times = {3_000, 1_000, 5_000, 2_000, 4_000};
        for (long t : times) {
            for (int e = 0; e < entities; e++) {
                FeatureRow row =
                        new FeatureRow(
                                FeatureViews.TERMINAL_RISK.name(),
                                "T" + e,
                                t,
                                System.currentTimeMillis(),
                                new double[] {t / 1000, e / 1000.0, 1, 0, 1, 0});
                // The newest snapshot (as of 5 s) comes with the row at 4 s, not the newest row.
                long asOf = t == 5_000 ? 4_000 : t + 1_000;
                writes.add(
                        new OnlineStoreWrite(
                                row.viewName, row.entityId, row, asOf, snapshot(asOf, e)));
            }
        }
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false); // writes must not fall back to Kryo
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.fromData(writes)
                .rebalance()
                .sinkTo(
                        new FeastRedisSink(
                                RedisSinkConfig.of(REDIS.host(), REDIS.port(), "vigil")
                                        .withBatching(64, Duration.ofMillis(5))))
                .name("feast-redis")
                .uid("feast-redis-sink");
        env.execute("feast-redis-sink-it");

        try (RedisClient client = RedisClient.create(REDIS.host(), REDIS.port())) {
            List<String> ids = IntStream.range(0, entities).mapToObj(e -> "T" + e).toList();
            List<Optional<FeatureRow>> back =
                    new FeastRedisReader(client, "vigil").read(FeatureViews.TERMINAL_RISK, ids);
            for (int e = 0; e < entities; e++) {
                FeatureRow row = back.get(e).orElseThrow();
                assertThat(row.eventTimeMillis).isEqualTo(5_000);
                assertThat(row.values).containsExactly(5, e / 1000.0, 1, 0, 1, 0);
            }
            for (int e = 0; e < entities; e++) {
                byte[] stored =
                        client.hget(
                                FeatureViews.TERMINAL_RISK.redisKey("T" + e, "vigil"),
                                FeatureViews.TERMINAL_RISK.historyField());
                assertThat(WindowHistoryCodec.decode(stored))
                        .isEqualTo(WindowHistoryCodec.decode(snapshot(5_000, e)));
            }
            assertThat(client.dbSize())
                    .as("the entities and the reset key")
                    .isEqualTo(entities + 1);
        }
    }

    private static byte[] snapshot(long asOf, int entity) {
        return WindowHistoryCodec.encode(
                new WindowHistorySnapshot(
                        asOf, 0, new long[] {asOf}, new long[] {1}, new long[] {entity}));
    }
}
