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
 * stored row reads as NaN. The caller owns the client and decides what a failed read means (a
 * {@code JedisConnectionException} propagates; there is no retry here, unlike the writer).
 */
public final class FeastRedisReader {
    private final UnifiedJedis client;
    private final String project;

    public FeastRedisReader(UnifiedJedis client, String project) {
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("feast project is required");
        }
        this.client = client;
        this.project = project;
    }

    /** The rows of {@code entityIds}, in order; empty where the entity has no row of the view. */
    public List<Optional<FeatureRow>> read(FeatureViewSpec view, List<String> entityIds) {
        byte[][] fields = FeatureRowCodec.readFields(view).toArray(byte[][]::new);
        List<Response<List<byte[]>>> replies = new ArrayList<>(entityIds.size());
        try (AbstractPipeline pipeline = client.pipelined()) {
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
}
