package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.redis.RedisTopology;
import io.vigil.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link FeastRedisWriter} and {@link FeastRedisReader} through a failover: a primary is killed
 * between two batches; the writer holds the second batch through the failover and writes it to the
 * promoted replica, where the first batch is too. Behind Redis Sentinels ({@code
 * --redis-sentinel-primary}), the first of which is down, and on a Redis Cluster with replicas.
 */
class FeastRedisFailoverITCase {

    @RegisterExtension static final RedisExtension SENTINEL = RedisExtension.withSentinel();

    @RegisterExtension static final RedisExtension CLUSTER = RedisExtension.clusterWithReplicas();

    private static final String PROJECT = "vigil";
    private static final FeatureViewSpec VIEW = FeatureViews.CUSTOMER_SPENDING;
    private static final int ENTITIES = 200;

    @Test
    @Timeout(60) // A client stuck on the dead Sentinel retries, as in an outage, until this.
    void aSentinelFailoverHoldsTheWritesAndLosesNone() throws Exception {
        assertAFailoverHoldsTheWrites(
                SENTINEL.topologyWithADeadAddressFirst(), SENTINEL::killPrimary);
    }

    @Test
    @Timeout(60)
    void aClusterFailoverHoldsTheWritesAndLosesNone() throws Exception {
        // The batch's 200 entities hash to slots of all three primaries.
        assertAFailoverHoldsTheWrites(CLUSTER.topology(), () -> CLUSTER.killClusterPrimary(1));
    }

    private interface Kill {
        void primary() throws Exception;
    }

    private static void assertAFailoverHoldsTheWrites(RedisTopology topology, Kill kill)
            throws Exception {
        RedisSinkConfig config =
                RedisSinkConfig.of(topology, PROJECT)
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
        List<Exception> retries = new ArrayList<>();
        List<FeatureRow> before = rows("B", 1_000);
        List<FeatureRow> after = rows("A", 2_000);

        try (FeastRedisWriter writer = new FeastRedisWriter(config, retries::add)) {
            assertThat(writer.write(TestRows.feast(before)).written()).isEqualTo(ENTITIES);

            kill.primary();

            // On a cluster the live primaries may take their share of the batch before the retry,
            // which finds those rows written and leaves them: the read below is what counts.
            assertTimeoutPreemptively(
                    Duration.ofSeconds(45), () -> writer.write(TestRows.feast(after)));
        }
        assertThat(retries).as("the writer waited for the failover").isNotEmpty();
        try (FeastRedisReader reader = new FeastRedisReader(config)) {
            for (List<FeatureRow> rows : List.of(before, after)) {
                assertThat(reader.read(VIEW, rows.stream().map(r -> r.entityId).toList()))
                        .containsExactlyElementsOf(rows.stream().map(Optional::of).toList());
            }
        }
    }

    private static List<FeatureRow> rows(String prefix, long eventTime) {
        return TestRows.rows(VIEW, prefix, ENTITIES, eventTime);
    }
}
