package io.vigil.scoring;

import io.vigil.testkit.RedisExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The running scoring job on a Redis Cluster whose primaries have replicas: a primary dies under
 * load; the lookups fall back while its replica takes over, then read from the replica, and every
 * transaction gets exactly one decision.
 */
class ScoringClusterFailoverITCase extends ScoringUnderLoad {

    @RegisterExtension static final RedisExtension REDIS = RedisExtension.clusterWithReplicas();

    ScoringClusterFailoverITCase() {
        super(REDIS);
    }

    @Test
    void aPrimaryFailoverUnderLoadFallsBackThenScoresAgainAndLosesNothing() throws Exception {
        // 20 s of traffic: the replica takes over within a few seconds of the kill, and the last
        // transactions must find it in charge even on a busy machine.
        int sent =
                underLoad(
                        8_000,
                        () -> {
                            Thread.sleep(1_500);
                            REDIS.killClusterPrimary(1);
                        });

        assertFellBackOnlyForThenScoredAgain("redis_unavailable", allDecisions(sent));
    }
}
