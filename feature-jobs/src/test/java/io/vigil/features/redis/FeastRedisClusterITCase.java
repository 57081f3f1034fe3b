package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.testkit.RedisExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@link FeastRedisWriter} and {@link FeastRedisReader} against a Redis Cluster of three primaries
 * ({@code --redis-cluster}): one pipelined batch reaches every node, each entity's last-writer-wins
 * script runs on the node of its key, the store's reset key lands on its own node, and a node that
 * lost its script cache gets the script again.
 */
class FeastRedisClusterITCase {

    @RegisterExtension static final RedisExtension CLUSTER = RedisExtension.cluster();

    private static final String PROJECT = "vigil";
    private static final int ENTITIES = 500;

    private final List<Exception> retries = new ArrayList<>();
    private FeastRedisWriter writer;
    private FeastRedisReader reader;

    @BeforeEach
    void connect() throws Exception {
        CLUSTER.flushAll();
        writer = new FeastRedisWriter(config(), retries::add);
        reader = new FeastRedisReader(config());
    }

    @AfterEach
    void close() {
        writer.close();
        reader.close();
    }

    @Test
    void oneBatchOfBothViewsReachesEveryNodeAndReadsBack() throws Exception {
        List<FeatureRow> rows = new ArrayList<>();
        for (FeatureViewSpec view : FeatureViews.ALL) {
            rows.addAll(rows(view, 10_000));
        }

        FeastRedisWriter.Result result =
                writer.write(rows.stream().map(OnlineStoreWrite::of).toList());

        assertThat(result.written()).isEqualTo(rows.size());
        for (FeatureViewSpec view : FeatureViews.ALL) {
            List<FeatureRow> expected = rows(view, 10_000);
            List<String> ids = expected.stream().map(r -> r.entityId).toList();
            assertThat(reader.read(view, ids))
                    .containsExactlyElementsOf(expected.stream().map(Optional::of).toList());
        }
        assertThat(CLUSTER.sendToEveryNode("DBSIZE"))
                .as("keys on every node")
                .allSatisfy(reply -> assertThat(reply).matches(":[1-9][0-9]*"));
        assertThat(retries).isEmpty();
    }

    @Test
    void olderRowsNeverOverwriteNewerOnesOnAnyNode() throws Exception {
        FeatureViewSpec view = FeatureViews.CUSTOMER_SPENDING;
        writer.write(feast(rows(view, 20_000)));

        FeastRedisWriter.Result older = writer.write(feast(rows(view, 19_000)));

        assertThat(older.written()).isZero();
        assertThat(older.stale()).isEqualTo(ENTITIES);
        assertThat(reader.read(view, List.of("E0", "E" + (ENTITIES - 1))))
                .allSatisfy(row -> assertThat(row.orElseThrow().eventTimeMillis).isEqualTo(20_000));
    }

    @Test
    void marksTheStoreBuiltFromTheStartOnTheNodeOfItsKey() throws Exception {
        writer.write(feast(rows(FeatureViews.TERMINAL_RISK, 1_000)));

        try (UnifiedJedis client = config().newClient("vigil-test")) {
            assertThat(OnlineStoreReset.parse(client.get(OnlineStoreReset.key(PROJECT))))
                    .isEqualTo(OnlineStoreReset.NEVER);
        }
    }

    @Test
    void reloadsTheScriptOnNodesThatLostIt() throws Exception {
        FeatureViewSpec view = FeatureViews.CUSTOMER_SPENDING;
        writer.write(feast(rows(view, 1_000)));
        assertThat(CLUSTER.sendToEveryNode("SCRIPT FLUSH")).containsOnly("+OK");

        assertThat(writer.write(feast(rows(view, 2_000))).written()).isEqualTo(ENTITIES);
        assertThat(writer.retries()).isZero();
    }

    private static RedisSinkConfig config() {
        return RedisSinkConfig.of(CLUSTER.host(), CLUSTER.port(), PROJECT).withCluster(true);
    }

    private static List<OnlineStoreWrite> feast(List<FeatureRow> rows) {
        return rows.stream().map(OnlineStoreWrite::of).toList();
    }

    /** A row for each of {@link #ENTITIES} entities at {@code eventTime}, values by entity. */
    private static List<FeatureRow> rows(FeatureViewSpec view, long eventTime) {
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < ENTITIES; i++) {
            double[] values = new double[view.featureCount()];
            Arrays.fill(values, i);
            rows.add(new FeatureRow(view.name(), "E" + i, eventTime, 0, values));
        }
        return rows;
    }
}
