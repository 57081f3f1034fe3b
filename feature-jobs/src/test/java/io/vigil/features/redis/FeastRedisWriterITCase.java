package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.feast.ProtoTimestampCodec;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

/** {@link FeastRedisWriter} and {@link FeastRedisReader} against a real redis-server. */
class FeastRedisWriterITCase {
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    private static final String PROJECT = "vigil";
    private static final FeatureViewSpec CUSTOMER = FeatureViews.CUSTOMER_SPENDING;
    private static final FeatureViewSpec TERMINAL = FeatureViews.TERMINAL_RISK;

    private RedisClient client;
    private FeastRedisReader reader;
    private final List<FeastRedisWriter> writers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        REDIS.flushAll();
        connect();
    }

    private void connect() {
        if (client != null) {
            client.close();
        }
        client = RedisClient.create(REDIS.host(), REDIS.port());
        reader = new FeastRedisReader(client, PROJECT);
    }

    @AfterEach
    void closeClientsAndCheckForLeaks() {
        writers.forEach(FeastRedisWriter::close);
        // The server drops a closed connection asynchronously.
        await().atMost(Duration.ofSeconds(5)).until(() -> writerConnections() == 0);
        client.close();
        client = null;
    }

    private long writerConnections() {
        byte[] list = (byte[]) client.sendCommand(Protocol.Command.CLIENT, "LIST");
        return new String(list, StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains(" name=vigil-feast-writer "))
                .count();
    }

    private FeastRedisWriter writer(RedisSinkConfig config) {
        FeastRedisWriter w = new FeastRedisWriter(config, cause -> {});
        writers.add(w);
        return w;
    }

    private static RedisSinkConfig config() {
        return RedisSinkConfig.of(REDIS.host(), REDIS.port(), PROJECT);
    }

    private static FeatureRow customer(String id, long eventTime, double n) {
        return new FeatureRow(
                CUSTOMER.name(), id, eventTime, 0, new double[] {n, n + 0.5, n, 1, n, 2});
    }

    private FeatureRow stored(FeatureViewSpec view, String id) {
        return reader.read(view, List.of(id)).get(0).orElseThrow();
    }

    private static List<OnlineStoreWrite> feast(List<FeatureRow> rows) {
        return rows.stream().map(OnlineStoreWrite::of).toList();
    }

    /** A snapshot of one bucket per value, the last at asOf. */
    private static byte[] history(long asOf, long... values) {
        long[] times = new long[values.length];
        long[] counts = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            times[i] = asOf - values.length + 1 + i;
            counts[i] = 1;
        }
        return WindowHistoryCodec.encode(
                new WindowHistorySnapshot(asOf, asOf - 1_000, times, counts, values));
    }

    private static OnlineStoreWrite write(FeatureRow row, long asOf, byte[] history) {
        return new OnlineStoreWrite(CUSTOMER.name(), row.entityId, row, asOf, history);
    }

    private static OnlineStoreWrite historyOnly(String id, long asOf, byte[] history) {
        return OnlineStoreWrite.ofHistory(CUSTOMER.name(), id, asOf, history);
    }

    /** The stored snapshot of a customer and the as-of time in its {@code _vigil_ts}. */
    private WindowHistorySnapshot storedHistory(String id) {
        byte[] key = CUSTOMER.redisKey(id, PROJECT);
        List<byte[]> fields =
                client.hmget(key, CUSTOMER.historyTimestampField(), CUSTOMER.historyField());
        WindowHistorySnapshot s = WindowHistoryCodec.decode(fields.get(1));
        assertThat(ProtoTimestampCodec.decode(fields.get(0)).toEpochMilli())
                .as("_vigil_ts of %s", id)
                .isEqualTo(s.asOfMillis());
        return s;
    }

    @Test
    void rowsAndSnapshotsAreLastWriterWinsEachByItsOwnRules() throws Exception {
        FeastRedisWriter w = writer(config());
        FeastRedisWriter.Result both =
                w.write(List.of(write(customer("C1", 10_000, 1), 10_000, history(10_000, 1))));
        assertThat(both.written()).isEqualTo(1);
        assertThat(both.historyWritten()).isEqualTo(1);

        // Same as-of time: the snapshot is overwritten (a rewrite after a late label holds more).
        FeastRedisWriter.Result tie =
                w.write(List.of(historyOnly("C1", 10_000, history(10_000, 2))));
        assertThat(tie.historyWritten()).isEqualTo(1);
        assertThat(tie.rows()).isZero();
        assertThat(storedHistory("C1").values()).containsExactly(2);

        // Row at the same event time (skipped, as Feast does) and an older snapshot: no change.
        FeastRedisWriter.Result stale =
                w.write(List.of(write(customer("C1", 10_000, 3), 9_999, history(9_999, 3))));
        assertThat(stale.stale()).isEqualTo(1);
        assertThat(stale.historyStale()).isEqualTo(1);
        assertThat(stored(CUSTOMER, "C1").values[0]).isEqualTo(1);
        assertThat(storedHistory("C1").values()).containsExactly(2);

        // Each group moves on its own.
        assertThat(w.write(feast(List.of(customer("C1", 10_001, 4)))).written()).isEqualTo(1);
        assertThat(storedHistory("C1").asOfMillis()).isEqualTo(10_000);
        assertThat(
                        w.write(List.of(historyOnly("C1", 12_000, history(12_000, 5, 6))))
                                .historyWritten())
                .isEqualTo(1);
        assertThat(stored(CUSTOMER, "C1").eventTimeMillis).isEqualTo(10_001);
        assertThat(storedHistory("C1").values()).containsExactly(5, 6);
        // The newer row beats the stored one although its snapshot is older.
        FeastRedisWriter.Result mixed =
                w.write(List.of(write(customer("C1", 10_002, 7), 11_000, history(11_000, 7))));
        assertThat(mixed.applied().get(0)).isTrue();
        assertThat(mixed.historyApplied().get(0)).isFalse();
        assertThat(storedHistory("C1").asOfMillis()).isEqualTo(12_000);
    }

    @Test
    void aHistoryOnlyWriteLeavesTheEntityWithoutAFeastRow() throws Exception {
        FeastRedisWriter w = writer(config().withTtl(Duration.ofMinutes(5)));
        assertThat(w.write(List.of(historyOnly("H1", 5_000, history(5_000, 1)))).historyWritten())
                .isEqualTo(1);
        byte[] key = CUSTOMER.redisKey("H1", PROJECT);
        assertThat(client.hlen(key)).as("_vigil_ts and _vigil_history only").isEqualTo(2);
        assertThat(reader.read(CUSTOMER, List.of("H1"))).containsExactly(Optional.empty());
        assertThat(client.pttl(key)).as("the TTL counts any write").isBetween(290_000L, 300_000L);

        // A stale snapshot does not refresh the TTL.
        client.pexpire(key, 100_000);
        assertThat(w.write(List.of(historyOnly("H1", 4_000, history(4_000, 1)))).historyStale())
                .isEqualTo(1);
        assertThat(client.pttl(key)).isLessThanOrEqualTo(100_000L);

        // A Feast row alone leaves the snapshot alone.
        w.write(feast(List.of(customer("H1", 6_000, 1))));
        assertThat(client.hlen(key)).isEqualTo(2 + 6 + 1);
        assertThat(storedHistory("H1").asOfMillis()).isEqualTo(5_000);
    }

    @Test
    void rejectsSnapshotsItCannotWriteAndStoredOnesItCannotCompare() throws Exception {
        FeastRedisWriter w = writer(config());
        assertThatThrownBy(() -> w.write(List.of(historyOnly("C1", -1, history(-1, 1)))))
                .hasMessageContaining("history as-of time before 1970");
        assertThatThrownBy(() -> w.write(List.of(historyOnly("C1", 1_000, new byte[0]))))
                .hasMessageContaining("empty history");
        assertThat(client.dbSize()).isZero();

        client.hset(
                CUSTOMER.redisKey("C2", PROJECT),
                CUSTOMER.historyTimestampField(),
                "garbage".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> w.write(List.of(historyOnly("C2", 1_000, history(1_000, 1)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("C2")
                .hasMessageContaining("VIGIL_BAD_TS stored _vigil_ts:customer_spending");
        // The Feast group alone does not look at _vigil_ts.
        assertThat(w.write(feast(List.of(customer("C2", 1_000, 1)))).written()).isEqualTo(1);
    }

    @Test
    void olderAndEqualEventsNeverOverwriteNewerOnes() throws Exception {
        FeastRedisWriter w = writer(config());
        assertThat(w.write(feast(List.of(customer("C1", 10_000, 1)))).written()).isEqualTo(1);
        assertThat(writerConnections()).as("the leak check sees open writers").isEqualTo(1);

        FeastRedisWriter.Result older = w.write(feast(List.of(customer("C1", 9_999, 2))));
        assertThat(older.written()).isZero();
        assertThat(older.stale()).isEqualTo(1);
        // Same millisecond: skipped like Feast, the first row stays.
        assertThat(w.write(feast(List.of(customer("C1", 10_000, 3)))).stale()).isEqualTo(1);
        assertThat(stored(CUSTOMER, "C1").values[0]).isEqualTo(1);

        // One millisecond newer, within the same second: the nanos decide.
        assertThat(w.write(feast(List.of(customer("C1", 10_001, 4)))).written()).isEqualTo(1);
        FeatureRow now = stored(CUSTOMER, "C1");
        assertThat(now.values).containsExactly(4, 4.5, 4, 1, 4, 2);
        assertThat(now.eventTimeMillis).isEqualTo(10_001);
    }

    @Test
    void orderInsideOneBatchDoesNotMatter() throws Exception {
        FeastRedisWriter.Result r =
                writer(config())
                        .write(
                                feast(
                                        List.of(
                                                customer("C1", 3_000, 3),
                                                customer("C1", 1_000, 1),
                                                customer("C1", 2_000, 2))));
        assertThat(r.applied().stream().toArray()).containsExactly(0);
        assertThat(stored(CUSTOMER, "C1").values[0]).isEqualTo(3);
    }

    @Test
    void replayFromAnotherWriterKeepsTheNewestRow() throws Exception {
        List<FeatureRow> history = new ArrayList<>();
        for (int e = 0; e < 50; e++) {
            for (int t = 1; t <= 20; t++) {
                history.add(customer("C" + e, t * 1_000L, t));
            }
        }
        FeastRedisWriter first = writer(config());
        FeastRedisWriter replaying = writer(config());
        first.write(feast(history.subList(0, 600)));
        // A restarted job replays everything, shuffled, while the first writer goes on.
        List<FeatureRow> replay = new ArrayList<>(history);
        Collections.shuffle(replay, new java.util.Random(7));
        replaying.write(feast(replay.subList(0, 500)));
        first.write(feast(history.subList(600, history.size())));
        replaying.write(feast(replay.subList(500, replay.size())));

        List<String> ids = IntStream.range(0, 50).mapToObj(e -> "C" + e).toList();
        for (Optional<FeatureRow> row : reader.read(CUSTOMER, ids)) {
            assertThat(row).get().extracting(r -> r.eventTimeMillis).isEqualTo(20_000L);
            assertThat(row.get().values[0]).isEqualTo(20);
        }
    }

    @Test
    void viewsOfTheSameIdLiveUnderDifferentKeys() throws Exception {
        FeatureRow terminal =
                new FeatureRow(
                        TERMINAL.name(), "X1", 5_000, 0, new double[] {9, 0.25, 9, 0.5, 9, 0.125});
        writer(config()).write(feast(List.of(customer("X1", 6_000, 1), terminal)));
        assertThat(stored(TERMINAL, "X1").values).containsExactly(terminal.values);
        assertThat(stored(CUSTOMER, "X1").values[0]).isEqualTo(1);
        assertThat(reader.read(TERMINAL, List.of("nobody"))).containsExactly(Optional.empty());
    }

    @Test
    void setsTheTtlOnlyWhenConfigured() throws Exception {
        writer(config().withTtl(Duration.ofMinutes(5)))
                .write(feast(List.of(customer("T1", 1_000, 1))));
        writer(config()).write(feast(List.of(customer("T2", 1_000, 1))));
        long ttl = client.pttl(CUSTOMER.redisKey("T1", PROJECT));
        assertThat(ttl).isBetween(290_000L, 300_000L);
        assertThat(client.pttl(CUSTOMER.redisKey("T2", PROJECT))).isEqualTo(-1L);
    }

    @Test
    void writesTenThousandRowsInOnePipelinedBatch() throws Exception {
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rows.add(customer("B" + i, 1_000 + i, i));
        }
        long start = System.nanoTime();
        FeastRedisWriter.Result r = writer(config()).write(feast(rows));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.written()).isEqualTo(10_000);
        assertThat(millis).as("10k rows in one round trip").isLessThan(5_000);
        List<String> ids = rows.stream().map(row -> row.entityId).toList();
        List<Optional<FeatureRow>> back = reader.read(CUSTOMER, ids);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(back.get(i)).get().extracting(x -> x.values).isEqualTo(rows.get(i).values);
        }
        assertThat(client.dbSize()).as("10,000 entities and the reset key").isEqualTo(10_001);
    }

    @Test
    void marksTheStoreBuiltFromTheStartAndAResetOnceItIsEmptied() throws Exception {
        byte[] key = OnlineStoreReset.key(PROJECT);
        FeastRedisWriter fresh = writer(config());
        assertThat(fresh.write(List.of()).storeResetFound()).isFalse();
        assertThat(OnlineStoreReset.parse(client.get(key))).isEqualTo(OnlineStoreReset.NEVER);
        fresh.write(feast(List.of(customer("R1", 1_000, 1))));
        assertThat(OnlineStoreReset.parse(client.get(key))).isEqualTo(OnlineStoreReset.NEVER);

        // Emptied: the next batch stamps the latest event time this writer has written.
        client.flushAll();
        assertThat(
                        fresh.write(
                                        feast(
                                                List.of(
                                                        customer("R2", 3_000, 1),
                                                        customer("R3", 2_000, 1))))
                                .storeResetFound())
                .isTrue();
        assertThat(OnlineStoreReset.parse(client.get(key))).isEqualTo(3_000);
        assertThat(fresh.write(List.of()).storeResetFound()).as("found once").isFalse();

        // Restored: nothing to vouch for until it writes, then its latest event time.
        client.flushAll();
        FeastRedisWriter restored = writer(config());
        restored.restoredFromCheckpoint();
        restored.write(List.of());
        assertThat(client.exists(key)).isFalse();
        restored.write(feast(List.of(customer("R4", 5_000, 1))));
        assertThat(OnlineStoreReset.parse(client.get(key))).isEqualTo(5_000);
        // The key is set once: later writers never move it.
        writer(config()).write(List.of());
        restored.write(feast(List.of(customer("R5", 9_000, 1))));
        assertThat(OnlineStoreReset.parse(client.get(key))).isEqualTo(5_000);
    }

    @Test
    void reloadsTheScriptAfterScriptFlush() throws Exception {
        FeastRedisWriter w = writer(config());
        w.write(feast(List.of(customer("S1", 1_000, 1))));
        client.scriptFlush();
        assertThat(
                        w.write(feast(List.of(customer("S1", 2_000, 2), customer("S2", 2_000, 2))))
                                .written())
                .isEqualTo(2);
        assertThat(w.retries()).isZero();
    }

    @Test
    void rejectsRowsAndStoredDataItCannotHandle() throws Exception {
        FeastRedisWriter w = writer(config());
        assertThatThrownBy(
                        () ->
                                w.write(
                                        feast(
                                                List.of(
                                                        new FeatureRow(
                                                                "nope",
                                                                "C1",
                                                                1,
                                                                0,
                                                                new double[6])))))
                .hasMessageContaining("unknown feature view 'nope'");
        assertThatThrownBy(() -> w.write(feast(List.of(customer("C1", -1, 1)))))
                .hasMessageContaining("before 1970");
        assertThatThrownBy(() -> w.write(feast(List.of(customer("C1", 1_000, 0.5)))))
                .hasMessageContaining("feature nb_tx_1d")
                .hasMessageContaining("not a whole number");
        assertThat(client.dbSize()).as("nothing of a rejected batch is written").isZero();

        client.hset(
                CUSTOMER.redisKey("C2", PROJECT),
                CUSTOMER.timestampField(),
                "garbage".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> w.write(feast(List.of(customer("C2", 1_000, 1)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("C2")
                .hasMessageContaining("VIGIL_BAD_TS");
    }

    @Test
    void holdsRowsThroughAnOutageAndLosesNone() throws Exception {
        int entities = 200;
        int rounds = 30;
        int stopAfterRound = 10;
        AtomicInteger retriesSeen = new AtomicInteger();
        RedisSinkConfig config =
                config().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
        FeastRedisWriter w = new FeastRedisWriter(config, cause -> retriesSeen.incrementAndGet());
        writers.add(w);
        CountDownLatch reachedStop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);

        ExecutorService producer = Executors.newSingleThreadExecutor();
        try {
            Future<?> done =
                    producer.submit(
                            () -> {
                                for (int round = 1; round <= rounds; round++) {
                                    List<FeatureRow> batch = new ArrayList<>();
                                    for (int e = 0; e < entities; e++) {
                                        batch.add(
                                                customer("O" + e, round * 1_000L, round * 100 + e));
                                    }
                                    w.write(feast(batch));
                                    if (round == stopAfterRound) {
                                        reachedStop.countDown();
                                        stopped.await();
                                    }
                                }
                                return null;
                            });
            assertThat(reachedStop.await(30, TimeUnit.SECONDS)).isTrue();
            REDIS.stop();
            stopped.countDown();
            Thread.sleep(1_500); // the writer is now blocked in its retry loop
            assertThat(done.isDone()).as("writes block while Redis is down").isFalse();
            REDIS.start();
            done.get(60, TimeUnit.SECONDS);
        } finally {
            producer.shutdownNow();
        }

        // redis-server restarted empty (no persistence): every entity must hold the last round.
        // The test's own pooled connections died with the server: read with a fresh client.
        connect();
        List<String> ids = IntStream.range(0, entities).mapToObj(e -> "O" + e).toList();
        List<Optional<FeatureRow>> back = reader.read(CUSTOMER, ids);
        for (int e = 0; e < entities; e++) {
            assertThat(back.get(e))
                    .get()
                    .extracting(r -> r.eventTimeMillis)
                    .isEqualTo(rounds * 1_000L);
            assertThat(back.get(e).get().values[0]).isEqualTo(rounds * 100 + e);
        }
        assertThat(w.retries()).isPositive();
        assertThat(retriesSeen.get()).isEqualTo((int) w.retries());
    }
}
