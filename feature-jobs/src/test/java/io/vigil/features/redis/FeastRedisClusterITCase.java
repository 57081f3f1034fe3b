package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTlsStores;
import io.vigil.schemas.redis.RedisTopology;
import io.vigil.testkit.RedisExtension;
import io.vigil.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * {@link FeastRedisWriter} and {@link FeastRedisReader} against a Redis Cluster of three primaries
 * ({@code --redis-cluster}): one pipelined batch reaches every node, each entity's last-writer-wins
 * script runs on the node of its key, the store's reset key lands on its own node, and a node that
 * lost its script cache gets the script again. The cluster's nodes serve only ACL users; the
 * least-privileged writer of docs/security.md, created on every node, needs {@code +cluster|slots}
 * as well. And a cluster that speaks only TLS, requires client certificates and serves only an ACL
 * user, as managed services with cluster mode, encryption in transit and access control do. A dead
 * seed node is passed over, a slot that moved after the client mapped the slots is followed, and a
 * write to a slot whose keys are being migrated follows the ASK reply, neither holding the batch.
 */
class FeastRedisClusterITCase {

    private static final String OWNER = "owner";
    private static final String OWNER_PASSWORD = "owner-of-the-cluster";

    @RegisterExtension
    static final RedisExtension CLUSTER = RedisExtension.clusterWithUser(OWNER, OWNER_PASSWORD);

    @RegisterExtension
    static final RedisExtension TLS_CLUSTER =
            RedisExtension.clusterWithTlsAndUser(OWNER, OWNER_PASSWORD);

    @TempDir Path dir;

    private static final String PROJECT = "vigil";
    private static final int ENTITIES = 500;

    private final List<Exception> retries = new ArrayList<>();
    private FeastRedisWriter writer;
    private FeastRedisReader reader;

    @BeforeEach
    void connect() throws Exception {
        CLUSTER.flushAll();
        writer = new FeastRedisWriter(config(owner()), retries::add);
        reader = new FeastRedisReader(config(owner()));
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
        writer.write(TestRows.feast(rows(view, 20_000)));

        FeastRedisWriter.Result older = writer.write(TestRows.feast(rows(view, 19_000)));

        assertThat(older.written()).isZero();
        assertThat(older.stale()).isEqualTo(ENTITIES);
        assertThat(reader.read(view, List.of("E0", "E" + (ENTITIES - 1))))
                .allSatisfy(row -> assertThat(row.orElseThrow().eventTimeMillis).isEqualTo(20_000));
    }

    @Test
    void marksTheStoreBuiltFromTheStartOnTheNodeOfItsKey() throws Exception {
        writer.write(TestRows.feast(rows(FeatureViews.TERMINAL_RISK, 1_000)));

        try (UnifiedJedis client = config(owner()).newClient("vigil-test")) {
            assertThat(OnlineStoreReset.parse(client.get(OnlineStoreReset.key(PROJECT))))
                    .isEqualTo(OnlineStoreReset.NEVER);
        }
    }

    @Test
    void reloadsTheScriptOnNodesThatLostIt() throws Exception {
        FeatureViewSpec view = FeatureViews.CUSTOMER_SPENDING;
        writer.write(TestRows.feast(rows(view, 1_000)));
        assertThat(CLUSTER.sendToEveryNode("SCRIPT FLUSH")).containsOnly("+OK");

        assertThat(writer.write(TestRows.feast(rows(view, 2_000))).written()).isEqualTo(ENTITIES);
        assertThat(writer.retries()).isZero();
    }

    @Test
    void theLeastPrivilegesOfTheDocsWithClusterSlotsAreEnoughToWrite() throws Exception {
        String rules = "~* +evalsha +script|load +hset +hmget +pexpire +set";
        RedisAuth writerUser = aclUserOnEveryNode("writer", rules + " +cluster|slots");
        RedisAuth withoutSlots = aclUserOnEveryNode("no-slots", rules);
        List<FeatureRow> rows = rows(FeatureViews.CUSTOMER_SPENDING, 3_000);

        try (FeastRedisWriter leastPrivileged =
                new FeastRedisWriter(
                        config(writerUser).withTtl(Duration.ofDays(1)), retries::add)) {
            assertThat(leastPrivileged.write(TestRows.feast(rows)).written()).isEqualTo(ENTITIES);
        }
        assertThat(retries).isEmpty();
        try (FeastRedisWriter blind = new FeastRedisWriter(config(withoutSlots), retries::add)) {
            assertThatThrownBy(() -> blind.write(TestRows.feast(rows)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(
                            " refused RedisAuth[user=no-slots, password=****, tls=false]: NOPERM"
                                    + " this user has no permissions to run the 'cluster|slots'"
                                    + " command");
        }
        assertThat(retries).isEmpty();
    }

    @Test
    @Timeout(60) // A client stuck on the dead seed retries, as in an outage, until this.
    void aSeedNodeThatIsDownIsPassedOverForTheNext() throws Exception {
        writeAndReadBack(
                RedisSinkConfig.of(CLUSTER.topologyWithADeadAddressFirst(), PROJECT)
                        .withAuth(owner()),
                rows(FeatureViews.CUSTOMER_SPENDING, 5_000));
        assertThat(retries).isEmpty();
    }

    @Test
    @Timeout(60) // A writer that does not follow the MOVED reply retries until this.
    void aSlotThatMovedSinceTheClientMappedTheSlotsIsFollowed() throws Exception {
        FeatureViewSpec view = FeatureViews.CUSTOMER_SPENDING;
        List<FeatureRow> mapped = rows(view, 1_000);
        assertThat(writer.write(TestRows.feast(mapped)).written()).isEqualTo(ENTITIES);
        Set<Integer> usedSlots = new HashSet<>();
        for (FeatureRow row : mapped) {
            usedSlots.add(JedisClusterCRC16.getSlot(view.redisKey(row.entityId, PROJECT)));
        }
        // An entity whose slot holds no key yet: only an empty slot can simply be given away.
        FeatureRow moved = null;
        for (int i = 0; moved == null; i++) {
            FeatureRow candidate = TestRows.rows(view, "M" + i, 1, 2_000).get(0);
            if (!usedSlots.contains(
                    JedisClusterCRC16.getSlot(view.redisKey(candidate.entityId, PROJECT)))) {
                moved = candidate;
            }
        }
        CLUSTER.moveEmptySlot(JedisClusterCRC16.getSlot(view.redisKey(moved.entityId, PROJECT)));

        assertThat(writer.write(TestRows.feast(List.of(moved))).written()).isOne();
        // The reader mapped the slots before the move too, and reads what it maps: a new one.
        try (FeastRedisReader after = new FeastRedisReader(config(owner()))) {
            assertThat(after.read(view, List.of(moved.entityId)))
                    .containsExactly(Optional.of(moved));
        }
        // Followed alone, as a cluster client follows MOVED: the batch was not held.
        assertThat(retries).isEmpty();
    }

    @Test
    @Timeout(30) // A writer that holds the batch for the migration's end waits until this.
    void aWriteToASlotBeingMigratedFollowsItsAskReplyWithoutHoldingTheBatch() throws Exception {
        FeatureViewSpec view = FeatureViews.CUSTOMER_SPENDING;
        // A second entity whose key shares the slot of E0's: E0's moves first, this one is left.
        String moved = "E0";
        int slot = slotOf(view, moved);
        String left =
                IntStream.range(0, 1_000_000)
                        .mapToObj(i -> "P" + i)
                        .filter(id -> slotOf(view, id) == slot)
                        .findFirst()
                        .orElseThrow();
        List<FeatureRow> before = new ArrayList<>(rows(view, 1_000));
        before.add(TestRows.row(view, left, 1_000));
        writer.write(TestRows.feast(before));
        List<FeatureRow> newer = new ArrayList<>(rows(view, 2_000));
        newer.add(TestRows.row(view, left, 2_000));
        CLUSTER.startSlotMigration(slot, List.of(view.redisKey(moved, PROJECT)));
        try {
            assertThat(writer.write(TestRows.feast(newer)).written()).isEqualTo(newer.size());
            assertThat(retries).isEmpty();
        } finally {
            // Also after a failure: a slot left migrating would hold the next tests' writes.
            CLUSTER.finishSlotMigration(slot, List.of(view.redisKey(left, PROJECT)));
        }
        // The slot has moved since: the writer follows MOVED, and last-writer-wins still holds.
        assertThat(writer.write(TestRows.feast(before)).stale()).isEqualTo(before.size());
        assertThat(retries).isEmpty();
        try (FeastRedisReader after = new FeastRedisReader(config(owner()))) {
            assertThat(after.read(view, newer.stream().map(r -> r.entityId).toList()))
                    .containsExactlyElementsOf(newer.stream().map(Optional::of).toList());
        }
    }

    @Test
    void aClusterThatIsDownIsAnOutageToWaitOutNotAFailure() throws Exception {
        RedisSinkConfig down =
                RedisSinkConfig.of(
                                RedisTopology.single(CLUSTER.host(), RedisExtension.unusedPort())
                                        .withCluster(true),
                                PROJECT)
                        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
        ExecutorService io = Executors.newSingleThreadExecutor();
        try (FeastRedisWriter waiting = new FeastRedisWriter(down, retries::add)) {
            Future<?> write =
                    io.submit(
                            () -> waiting.write(TestRows.feast(rows(FeatureViews.ALL.get(0), 1))));

            await().atMost(Duration.ofSeconds(20)).until(() -> retries.size() >= 3);
            assertThat(write).isNotDone();
            assertThat(retries)
                    .allSatisfy(e -> assertThat(e).isInstanceOf(JedisConnectionException.class));
            write.cancel(true);
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void overMutualTlsAsAnAclUserRowsReachEveryNodeAndReadBack() throws Exception {
        TestCertificates certificates = TestCertificates.get();
        Path storePassword = Files.writeString(dir.resolve("stores"), TestCertificates.PASSWORD);
        RedisSinkConfig config =
                RedisSinkConfig.of(TLS_CLUSTER.topology(), PROJECT)
                        .withAuth(
                                RedisAuth.of(
                                        OWNER,
                                        Files.writeString(
                                                dir.resolve("owner-password"), OWNER_PASSWORD),
                                        true,
                                        RedisTlsStores.of(
                                                certificates.clientTrustStore(),
                                                certificates.clientKeyStore(),
                                                storePassword)));

        writeAndReadBack(config, rows(FeatureViews.TERMINAL_RISK, 4_000));
        assertThat(TLS_CLUSTER.sendToEveryNode("DBSIZE"))
                .allSatisfy(reply -> assertThat(reply).matches(":[1-9][0-9]*"));
        assertThat(retries).isEmpty();
    }

    /** A user with {@code rules} (space-separated) on every node, and its credentials. */
    private RedisAuth aclUserOnEveryNode(String user, String rules) throws IOException {
        String password = user + "-pw";
        assertThat(
                        CLUSTER.sendToEveryNode(
                                "ACL SETUSER " + user + " on >" + password + " " + rules))
                .containsOnly("+OK");
        return RedisAuth.of(user, Files.writeString(dir.resolve(user), password), false);
    }

    private RedisAuth owner() throws IOException {
        return RedisAuth.of(
                OWNER, Files.writeString(dir.resolve("owner-password"), OWNER_PASSWORD), false);
    }

    /** Rows of one view written by a writer of {@code config} and read by a reader of it. */
    private void writeAndReadBack(RedisSinkConfig config, List<FeatureRow> rows)
            throws InterruptedException {
        FeatureViewSpec view = FeatureViews.byName(rows.get(0).viewName);
        try (FeastRedisWriter writer = new FeastRedisWriter(config, retries::add);
                FeastRedisReader reader = new FeastRedisReader(config)) {
            assertThat(writer.write(TestRows.feast(rows)).written()).isEqualTo(ENTITIES);
            assertThat(reader.read(view, rows.stream().map(r -> r.entityId).toList()))
                    .containsExactlyElementsOf(rows.stream().map(Optional::of).toList());
        }
    }

    private static int slotOf(FeatureViewSpec view, String entityId) {
        return JedisClusterCRC16.getSlot(view.redisKey(entityId, PROJECT));
    }

    private static RedisSinkConfig config(RedisAuth auth) {
        return RedisSinkConfig.of(CLUSTER.topology(), PROJECT).withAuth(auth);
    }

    private static List<FeatureRow> rows(FeatureViewSpec view, long eventTime) {
        return TestRows.rows(view, "E", ENTITIES, eventTime);
    }
}
