package io.vigil.scoring.lookup;

import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Writes history snapshots where the feature job writes them ({@code _vigil_history:<view>} of the
 * entity's Feast key), as the given ACL user: the way tests seed a Redis whose default user is off.
 */
public final class SnapshotWriter implements AutoCloseable {

    private final UnifiedJedis client;
    private final String project;

    public SnapshotWriter(String host, int port, String user, String password, String project) {
        this.client =
                RedisClient.builder()
                        .hostAndPort(host, port)
                        .clientConfig(
                                DefaultJedisClientConfig.builder()
                                        .user(user)
                                        .password(password)
                                        .build())
                        .build();
        this.project = project;
    }

    public void customer(String customerId, WindowHistorySnapshot snapshot) {
        write(FeatureViews.CUSTOMER_SPENDING, customerId, snapshot);
    }

    public void terminal(String terminalId, WindowHistorySnapshot snapshot) {
        write(FeatureViews.TERMINAL_RISK, terminalId, snapshot);
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
