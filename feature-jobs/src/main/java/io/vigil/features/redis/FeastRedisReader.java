package io.vigil.features.redis;

import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureRowCodec;
import io.vigil.schemas.feast.FeatureViewSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;

/**
 * Reads feature rows from the Feast layout the way Feast does: one HMGET per entity key of the
 * view's feature fields plus {@code _ts:<view>}, all in one pipeline. A feature missing from a
 * stored row reads as NaN. The caller decides what a failed read means (a {@code
 * JedisConnectionException} or, for refused credentials, a {@code JedisAccessControlException}
 * propagates; there is no retry here, unlike the writer).
 */
public final class FeastRedisReader implements AutoCloseable {
    private final UnifiedJedis client;
    private final String project;
    private final boolean ownsClient;

    /** A reader over the caller's client, which the caller closes. */
    public FeastRedisReader(UnifiedJedis client, String project) {
        this(client, project, false);
    }

    /**
     * A reader with its own client of the server, authentication and project of {@code config},
     * closed by {@link #close}.
     */
    public FeastRedisReader(RedisSinkConfig config) {
        this(config.newClient("vigil-feast-reader"), config.project(), true);
    }

    private FeastRedisReader(UnifiedJedis client, String project, boolean ownsClient) {
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("feast project is required");
        }
        this.client = client;
        this.project = project;
        this.ownsClient = ownsClient;
    }

    /** The rows of {@code entityIds}, in order; empty where the entity has no row of the view. */
    public List<Optional<FeatureRow>> read(FeatureViewSpec view, List<String> entityIds) {
        byte[][] fields = FeatureRowCodec.readFields(view).toArray(byte[][]::new);
        List<Response<List<byte[]>>> replies = new ArrayList<>(entityIds.size());
        try (AbstractPipeline pipeline = RedisConnections.pipelined(client)) {
            for (String id : entityIds) {
                replies.add(pipeline.hmget(view.redisKey(id, project), fields));
            }
            pipeline.sync();
        }
        List<Optional<FeatureRow>> rows = new ArrayList<>(entityIds.size());
        for (int i = 0; i < entityIds.size(); i++) {
            rows.add(FeatureRowCodec.decode(view, entityIds.get(i), replies.get(i).get()));
        }
        return rows;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
