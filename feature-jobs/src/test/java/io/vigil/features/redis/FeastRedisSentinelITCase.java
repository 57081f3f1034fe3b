package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link FeastRedisWriter} and {@link FeastRedisReader} through Redis Sentinels ({@code
 * --redis-sentinel-primary}), the first of which is down: the primary is killed between two
 * batches; the writer holds the second batch through the failover and writes it to the promoted
 * replica, where the first batch is too.
 */
class FeastRedisSentinelITCase {

    @RegisterExtension static final RedisExtension REDIS = RedisExtension.withSentinel();

    private static final String PROJECT = "vigil";
    private static final FeatureViewSpec VIEW = FeatureViews.CUSTOMER_SPENDING;
    private static final int ENTITIES = 200;

    @Test
    @Timeout(60) // A client stuck on the dead Sentinel retries, as in an outage, until this.
    void aFailoverHoldsTheWritesAndLosesNone() throws Exception {
        RedisSinkConfig config =
                RedisSinkConfig.of(REDIS.topologyWithADeadAddressFirst(), PROJECT)
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
        List<Exception> retries = new ArrayList<>();
        List<FeatureRow> before = rows("B", 1_000);
        List<FeatureRow> after = rows("A", 2_000);

        try (FeastRedisWriter writer = new FeastRedisWriter(config, retries::add)) {
            assertThat(writer.write(TestRows.feast(before)).written()).isEqualTo(ENTITIES);

            REDIS.killPrimary();

            FeastRedisWriter.Result held =
                    assertTimeoutPreemptively(
                            Duration.ofSeconds(60), () -> writer.write(TestRows.feast(after)));
            assertThat(held.written()).isEqualTo(ENTITIES);
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
