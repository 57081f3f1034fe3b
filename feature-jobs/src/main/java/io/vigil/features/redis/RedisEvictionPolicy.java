package io.vigil.features.redis;

import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Whether a Redis may evict Vigil's keys. An evicted entity key takes its history snapshot with it,
 * and nothing tells the scoring job: it takes the entity for a new one until the feature job writes
 * it again at its next transaction (docs/deployment.md, "Durability matters").
 */
final class RedisEvictionPolicy {

    private RedisEvictionPolicy() {}

    /**
     * A warning naming the policy when {@code redis} (read with {@code INFO memory}) has a memory
     * limit and a policy that evicts keys like Vigil's: any {@code allkeys-*}, or {@code
     * volatile-*} when {@code keysExpire} ({@code --redis-ttl}); empty when it does not.
     */
    static Optional<String> risk(UnifiedJedis redis, String server, boolean keysExpire) {
        String info = redis.info("memory");
        String policy = RedisInfo.field(info, "maxmemory_policy");
        String limit = RedisInfo.field(info, "maxmemory");
        boolean evicts =
                policy.startsWith("allkeys-") || (keysExpire && policy.startsWith("volatile-"));
        if ("0".equals(limit) || !evicts) {
            return Optional.empty();
        }
        return Optional.of(
                server
                        + " may evict entity keys (maxmemory "
                        + limit
                        + " bytes, maxmemory-policy "
                        + policy
                        + "): an evicted entity's history snapshot is gone, and until the entity's"
                        + " next transaction the scoring job takes it for a new one. Run Redis with"
                        + " maxmemory-policy noeviction and room for every entity"
                        + " (docs/deployment.md)");
    }
}
