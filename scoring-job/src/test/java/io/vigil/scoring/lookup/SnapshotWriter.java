package io.vigil.scoring.lookup;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.vigil.features.redis.RedisConnections;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.testkit.RedisExtension;
import java.time.Duration;
import redis.clients.jedis.UnifiedJedis;

/**
 * Writes history snapshots (and the store's reset key) where the feature job writes them ({@code
 * _vigil_history:<view>} of the entity's Feast key), authenticated as the jobs are: the way tests
 * seed a Redis whose default user is off or that speaks only TLS.
 */
public final class SnapshotWriter implements AutoCloseable {

    private final UnifiedJedis client;
    private final String project;

    public SnapshotWriter(RedisExtension redis, RedisAuth auth, String project) {
        this.client =
                RedisConnections.open(
                        redis.topology(), auth, Duration.ofSeconds(5), "vigil-test-seed");
        this.project = project;
    }

    public void customer(String customerId, WindowHistorySnapshot snapshot) {
        write(FeatureViews.CUSTOMER_SPENDING, customerId, snapshot);
    }

    public void terminal(String terminalId, WindowHistorySnapshot snapshot) {
        write(FeatureViews.TERMINAL_RISK, terminalId, snapshot);
    }

    /** Writes the store's reset key as the feature job does ({@link OnlineStoreReset}). */
    public void storeReset(long resetAtMillis) {
        client.set(OnlineStoreReset.key(project), Long.toString(resetAtMillis).getBytes(US_ASCII));
    }

    private void write(FeatureViewSpec view, String entityId, WindowHistorySnapshot snapshot) {
        client.hset(
                view.redisKey(entityId, project),
                view.historyField(),
                WindowHistoryCodec.encode(snapshot));
    }

    @Override
    public void close() {
        client.close();
    }
}
