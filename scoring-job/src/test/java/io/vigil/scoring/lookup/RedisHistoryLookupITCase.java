package io.vigil.scoring.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.schemas.redis.RedisAuth;
import io.vigil.schemas.redis.RedisTlsStores;
import io.vigil.schemas.redis.RedisTopology;
import io.vigil.scoring.lookup.RedisHistoryLookup.LookupFailedException;
import io.vigil.scoring.lookup.RedisHistoryLookup.Snapshots;
import io.vigil.testkit.RedisExtension;
import io.vigil.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The lookup against a Redis whose only ACL user needs a password: with the credentials it reads
 * the snapshots; refused, every lookup fails naming Redis's refusal, which is logged once. And
 * against a Redis that speaks only TLS and requires a client certificate: with the stores of {@code
 * --redis-tls-truststore} and {@code --redis-tls-keystore} it reads the snapshots; without the
 * client certificate every lookup fails, which the scoring job turns into the {@code
 * redis_unavailable} fallback. And against a Redis Cluster: each lookup's keys live on different
 * nodes, and one pipelined batch still reads them all; after a primary's failover the lookups read
 * from the promoted replica. And through a Redis Sentinel, from the primary it names.
 */
class RedisHistoryLookupITCase {

    private static final String USER = "scoring";
    private static final String PASSWORD = "correct-horse-battery-staple";
    private static final String PROJECT = "lookup_it";
    private static final RedisAuth OWNER = new RedisAuth(USER, PASSWORD, false);

    @RegisterExtension static final RedisExtension REDIS = RedisExtension.withUser(USER, PASSWORD);

    // Its own server: the rotation changes the user's password for the rest of the class.
    @RegisterExtension
    static final RedisExtension ROTATED = RedisExtension.withUser(USER, PASSWORD);

    @RegisterExtension static final RedisExtension TLS_REDIS = RedisExtension.withTls();

    @RegisterExtension static final RedisExtension CLUSTER = RedisExtension.cluster();

    @RegisterExtension
    static final RedisExtension REPLICATED_CLUSTER = RedisExtension.clusterWithReplicas();

    @RegisterExtension static final RedisExtension SENTINEL = RedisExtension.withSentinel();

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    @TempDir Path dir;

    @Test
    void withTheCredentialsItReadsTheSnapshots() throws Exception {
        WindowHistorySnapshot customer =
                new WindowHistorySnapshot(
                        2_000, 0, new long[] {1_000}, new long[] {3}, new long[] {4_500});
        WindowHistorySnapshot terminal =
                new WindowHistorySnapshot(
                        2_000, 0, new long[] {1_500}, new long[] {7}, new long[] {1});
        try (SnapshotWriter writer = new SnapshotWriter(REDIS, OWNER, PROJECT)) {
            writer.customer("c1", customer);
            writer.terminal("t1", terminal);
        }

        try (RedisHistoryLookup lookup = lookup(OWNER)) {
            Snapshots found = lookup.lookup("c1", "t1").get(10, TimeUnit.SECONDS);
            Snapshots unknown = lookup.lookup("c2", "t1").get(10, TimeUnit.SECONDS);

            assertThat(WindowHistoryCodec.decode(found.customer())).isEqualTo(customer);
            assertThat(WindowHistoryCodec.decode(found.terminal())).isEqualTo(terminal);
            assertThat(unknown.customer()).isNull();
            assertThat(found.storeResetAtMillis()).isEqualTo(OnlineStoreReset.UNKNOWN);

            try (SnapshotWriter writer = new SnapshotWriter(REDIS, OWNER, PROJECT)) {
                writer.storeReset(1_234);
            }
            assertThat(lookup.lookup("c2", "t1").get(10, TimeUnit.SECONDS).storeResetAtMillis())
                    .isEqualTo(1_234);
        }
    }

    @Test
    void aPasswordRotatedInItsFileReachesTheLookupsAtTheirNextConnection() throws Exception {
        WindowHistorySnapshot customer =
                new WindowHistorySnapshot(
                        2_000, 0, new long[] {1_000}, new long[] {3}, new long[] {4_500});
        try (SnapshotWriter writer = new SnapshotWriter(ROTATED, OWNER, PROJECT)) {
            writer.customer("c1", customer);
        }
        Path file = Files.writeString(dir.resolve("redis-password"), PASSWORD + "\n");
        String rotated = "the-password-after-rotation";

        try (RedisHistoryLookup lookup = lookup(ROTATED, RedisAuth.of(USER, file, false))) {
            assertThat(lookup.lookup("c1", "t1").get(10, TimeUnit.SECONDS).customer()).isNotNull();
            Files.writeString(file, rotated + "\n");
            ROTATED.rotatePassword(rotated); // the lookup's connections are closed

            // Lookups fail while the connections are gone, then log in with the file's password.
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    WindowHistoryCodec.decode(
                                                            lookup.lookup("c1", "t1")
                                                                    .get(2, TimeUnit.SECONDS)
                                                                    .customer()))
                                            .isEqualTo(customer));
        }
    }

    @Test
    void aWrongPasswordFailsEveryLookupNamingWrongpassAndLogsItOnce() throws Exception {
        assertRefusedWith(new RedisAuth(USER, "wrong", false), "WRONGPASS");
    }

    @Test
    void noCredentialsFailEveryLookupNamingNoauthAndLogItOnce() throws Exception {
        assertRefusedWith(RedisAuth.NONE, "NOAUTH");
    }

    @Test
    void withTheTlsStoresItReadsTheSnapshotsOverMutualTls() throws Exception {
        RedisAuth auth = tlsStores(CERTIFICATES.clientKeyStore());
        WindowHistorySnapshot customer =
                new WindowHistorySnapshot(
                        2_000, 0, new long[] {1_000}, new long[] {3}, new long[] {4_500});
        try (SnapshotWriter writer = new SnapshotWriter(TLS_REDIS, auth, PROJECT)) {
            writer.customer("c1", customer);
        }

        try (RedisHistoryLookup lookup = lookup(TLS_REDIS, auth)) {
            Snapshots found = lookup.lookup("c1", "t1").get(10, TimeUnit.SECONDS);

            assertThat(WindowHistoryCodec.decode(found.customer())).isEqualTo(customer);
            assertThat(found.terminal()).isNull();
        }
    }

    @Test
    void withoutTheClientCertificateEveryLookupOverTlsFails() throws Exception {
        try (RedisHistoryLookup lookup = lookup(TLS_REDIS, tlsStores(null))) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> lookup.lookup("c1", "t1").get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(LookupFailedException.class);
            }
        }
    }

    @Test
    void onARedisClusterItReadsTheSnapshotsAndTheResetKeyFromTheirNodes() throws Exception {
        int entities = 200;
        try (SnapshotWriter writer = new SnapshotWriter(CLUSTER, RedisAuth.NONE, PROJECT)) {
            for (int i = 0; i < entities; i++) {
                writer.customer("c" + i, snapshot(i));
                writer.terminal("t" + i, snapshot(1_000 + i));
            }
            writer.storeReset(1_234);
        }

        try (RedisHistoryLookup lookup = lookup(CLUSTER, RedisAuth.NONE)) {
            List<CompletableFuture<Snapshots>> results = new ArrayList<>();
            for (int i = 0; i < entities; i++) {
                results.add(lookup.lookup("c" + i, "t" + i));
            }
            for (int i = 0; i < entities; i++) {
                Snapshots found = results.get(i).get(10, TimeUnit.SECONDS);
                assertThat(WindowHistoryCodec.decode(found.customer())).isEqualTo(snapshot(i));
                assertThat(WindowHistoryCodec.decode(found.terminal()))
                        .isEqualTo(snapshot(1_000 + i));
                assertThat(found.storeResetAtMillis()).isEqualTo(1_234);
            }
        }
    }

    @Test
    void whileASlotIsMigratedAndAfterItMovedEveryLookupReadsItsSnapshot() throws Exception {
        FeatureViewSpec customers = FeatureViews.CUSTOMER_SPENDING;
        int slot = JedisClusterCRC16.getSlot(customers.redisKey("c0", PROJECT));
        // A customer whose key shares c0's slot: c0's moves first, this one's at the end.
        String left =
                IntStream.range(0, 1_000_000)
                        .mapToObj(i -> "d" + i)
                        .filter(
                                id ->
                                        JedisClusterCRC16.getSlot(customers.redisKey(id, PROJECT))
                                                == slot)
                        .findFirst()
                        .orElseThrow();
        List<String> ids = new ArrayList<>(List.of(left));
        for (int i = 0; i < 30; i++) {
            ids.add("c" + i);
        }
        try (SnapshotWriter writer = new SnapshotWriter(CLUSTER, RedisAuth.NONE, PROJECT)) {
            for (int i = 0; i < ids.size(); i++) {
                writer.customer(ids.get(i), snapshot(i));
            }
        }
        try (RedisHistoryLookup lookup = lookup(CLUSTER, RedisAuth.NONE)) {
            assertEveryLookupReads(lookup, ids); // maps the slots before they move

            CLUSTER.startSlotMigration(slot, List.of(customers.redisKey("c0", PROJECT)));
            try {
                assertEveryLookupReads(lookup, ids);
            } finally {
                CLUSTER.finishSlotMigration(slot, List.of(customers.redisKey(left, PROJECT)));
            }
            assertEveryLookupReads(lookup, ids);
        }
    }

    private static void assertEveryLookupReads(RedisHistoryLookup lookup, List<String> customers)
            throws Exception {
        List<CompletableFuture<Snapshots>> results = new ArrayList<>();
        for (String customer : customers) {
            results.add(lookup.lookup(customer, "t1"));
        }
        for (int i = 0; i < customers.size(); i++) {
            assertThat(
                            WindowHistoryCodec.decode(
                                    results.get(i).get(10, TimeUnit.SECONDS).customer()))
                    .isEqualTo(snapshot(i));
        }
    }

    @Test
    void throughSentinelsItReadsFromThePrimary() throws Exception {
        try (SnapshotWriter writer = new SnapshotWriter(SENTINEL, RedisAuth.NONE, PROJECT)) {
            writer.customer("c1", snapshot(7));
            writer.storeReset(99);
        }

        // The first Sentinel is down: the lookup asks the next.
        try (RedisHistoryLookup lookup =
                lookup(SENTINEL.topologyWithADeadAddressFirst(), RedisAuth.NONE)) {
            Snapshots found = lookup.lookup("c1", "t1").get(10, TimeUnit.SECONDS);

            assertThat(WindowHistoryCodec.decode(found.customer())).isEqualTo(snapshot(7));
            assertThat(found.storeResetAtMillis()).isEqualTo(99);
        }
    }

    @Test
    void afterAClusterFailoverTheLookupsReadFromThePromotedReplica() throws Exception {
        int customers = 30; // their keys hash to slots of all three primaries
        try (SnapshotWriter writer =
                new SnapshotWriter(REPLICATED_CLUSTER, RedisAuth.NONE, PROJECT)) {
            for (int i = 0; i < customers; i++) {
                writer.customer("c" + i, snapshot(i));
            }
        }
        try (RedisHistoryLookup lookup = lookup(REPLICATED_CLUSTER, RedisAuth.NONE)) {
            assertThat(lookup.lookup("c1", "t1").get(10, TimeUnit.SECONDS).customer()).isNotNull();

            REPLICATED_CLUSTER.killClusterPrimary(1);

            // Lookups fail (the scoring job falls back) until the replica has taken over.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> {
                                for (int i = 0; i < customers; i++) {
                                    Snapshots found =
                                            lookup.lookup("c" + i, "t1").get(5, TimeUnit.SECONDS);
                                    assertThat(WindowHistoryCodec.decode(found.customer()))
                                            .isEqualTo(snapshot(i));
                                }
                            });
        }
    }

    @Test
    void aClusterThatIsDownFailsTheLookupsNotTheStart() throws Exception {
        int nobody = RedisExtension.unusedPort();
        try (RedisHistoryLookup lookup =
                new RedisHistoryLookup(
                        RedisTopology.single(CLUSTER.host(), nobody).withCluster(true),
                        RedisAuth.NONE,
                        PROJECT,
                        Duration.ofSeconds(1),
                        Duration.ofMillis(100),
                        16)) {
            assertThatThrownBy(() -> lookup.lookup("c1", "t1").get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(LookupFailedException.class)
                    .hasMessageContaining("Redis Cluster at " + CLUSTER.host() + ":" + nobody);
        }
    }

    private static WindowHistorySnapshot snapshot(long value) {
        return new WindowHistorySnapshot(
                2_000, 0, new long[] {1_000}, new long[] {1}, new long[] {value});
    }

    private RedisAuth tlsStores(Path keyStore) throws IOException {
        Path password = Files.writeString(dir.resolve("store-password"), TestCertificates.PASSWORD);
        return RedisAuth.of(
                null,
                null,
                true,
                RedisTlsStores.of(CERTIFICATES.clientTrustStore(), keyStore, password));
    }

    /**
     * Lookups for a while, over several retry intervals: each fails, those sent to Redis and those
     * failed at once in between, and only one log line reports the refusal.
     */
    private static void assertRefusedWith(RedisAuth auth, String error) throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (CapturedLog log = new CapturedLog();
                RedisHistoryLookup lookup = lookup(auth)) {
            long end = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
            while (System.nanoTime() < end) {
                CompletableFuture<Snapshots> result = lookup.lookup("c1", "t1");
                try {
                    result.get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
                Thread.sleep(20);
            }
            assertThat(failures).hasSizeGreaterThan(10);
            assertThat(failures)
                    .allSatisfy(
                            f ->
                                    assertThat(f)
                                            .isInstanceOf(LookupFailedException.class)
                                            .hasMessageContaining(error));
            assertThat(log.lines).filteredOn(line -> line.contains(error)).hasSize(1);
            assertThat(log.lines).noneMatch(line -> line.contains(PASSWORD));
        }
    }

    private static RedisHistoryLookup lookup(RedisAuth auth) {
        return lookup(REDIS, auth);
    }

    private static RedisHistoryLookup lookup(RedisExtension redis, RedisAuth auth) {
        return lookup(redis.topology(), auth);
    }

    private static RedisHistoryLookup lookup(RedisTopology topology, RedisAuth auth) {
        return new RedisHistoryLookup(
                topology, auth, PROJECT, Duration.ofSeconds(2), Duration.ofMillis(200), 16);
    }

    /** What {@link RedisHistoryLookup} logs while open. */
    private static final class CapturedLog extends AbstractAppender implements AutoCloseable {

        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Logger logger = (Logger) LogManager.getLogger(RedisHistoryLookup.class);

        CapturedLog() {
            super("captured", null, null, true, Property.EMPTY_ARRAY);
            start();
            logger.addAppender(this);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        }

        @Override
        public void close() {
            logger.removeAppender(this);
            stop();
        }
    }
}
