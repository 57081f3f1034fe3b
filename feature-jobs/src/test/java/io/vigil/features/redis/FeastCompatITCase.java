package io.vigil.features.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.features.records.OnlineStoreWrite;
import io.vigil.schemas.feast.FeastType;
import io.vigil.schemas.feast.FeatureRow;
import io.vigil.schemas.feast.FeatureSpec;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.testkit.RedisExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feast's own Python SDK (pinned release, compat/feast/run.sh) reads what {@link FeastRedisWriter}
 * wrote: exact values, Value types, event times, absent entities, and the newest row after an
 * out-of-order write; Vigil's history snapshots beside the rows stay invisible to it. Against a
 * single Redis and a Redis Cluster (Feast's {@code redis_type: redis_cluster}). The first run on a
 * machine installs Feast into a cached venv (minutes).
 */
class FeastCompatITCase {
    @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

    @RegisterExtension static final RedisExtension CLUSTER = RedisExtension.cluster();

    private static final String PROJECT = "vigil";
    private static final int ENTITIES = 120;
    private static final long BASE_TIME = 1_793_534_400_000L; // 2026-11-01T12:00:00Z

    @TempDir Path tmp;

    @Test
    void feastReadsWhatVigilWrote() throws Exception {
        assertFeastReadsWhatVigilWrote(REDIS);
    }

    @Test
    void feastReadsWhatVigilWroteToARedisCluster() throws Exception {
        assertFeastReadsWhatVigilWrote(CLUSTER);
    }

    private void assertFeastReadsWhatVigilWrote(RedisExtension redis) throws Exception {
        Path runScript = repoRoot().resolve("compat/feast/run.sh");
        assertThat(runScript).as("compat script").isRegularFile();
        redis.flushAll();

        List<Map<String, Object>> views = new ArrayList<>();
        RedisSinkConfig config = RedisSinkConfig.of(redis.topology(), PROJECT);
        try (FeastRedisWriter writer = new FeastRedisWriter(config, cause -> {})) {
            for (FeatureViewSpec view : FeatureViews.ALL) {
                List<FeatureRow> newest = rows(view, 0);
                // Older rows written after the newer ones must not show through Feast.
                List<FeatureRow> older = rows(view, -60_000).subList(0, ENTITIES / 2);
                FeastRedisWriter.Result result = writer.write(withHistories(newest));
                assertThat(result.written()).isEqualTo(ENTITIES);
                assertThat(result.historyWritten()).isEqualTo(ENTITIES);
                assertThat(writer.write(feast(older)).written()).isZero();
                views.add(expectation(view, newest));
            }
        }
        Path expected = tmp.resolve("expected.json");
        new ObjectMapper()
                .writerWithDefaultPrettyPrinter()
                .writeValue(expected.toFile(), Map.of("project", PROJECT, "views", views));

        Path log = tmp.resolve("run.log");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "bash",
                                runScript.toString(),
                                "--redis",
                                redis.host() + ":" + redis.port(),
                                "--expected",
                                expected.toString()));
        if (redis.isCluster()) {
            command.add("--redis-cluster");
        }
        Process run =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        boolean finished = run.waitFor(15, TimeUnit.MINUTES);
        if (!finished) {
            run.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished).as("run.sh finished in time; output:%n%s", output).isTrue();
        assertThat(run.exitValue()).as("run.sh exit code; output:%n%s", output).isZero();
        assertThat(output).contains("OK: Feast reads exactly what Vigil wrote");
    }

    private static List<OnlineStoreWrite> feast(List<FeatureRow> rows) {
        return rows.stream().map(OnlineStoreWrite::of).toList();
    }

    /** Each row with a snapshot as of its event time, as the feature job writes them. */
    private static List<OnlineStoreWrite> withHistories(List<FeatureRow> rows) {
        return rows.stream()
                .map(
                        row -> {
                            long t = row.eventTimeMillis;
                            byte[] history =
                                    WindowHistoryCodec.encode(
                                            new WindowHistorySnapshot(
                                                    t,
                                                    t - 2_592_600_000L,
                                                    new long[] {t - 86_400_000L, t},
                                                    new long[] {1, 2},
                                                    new long[] {1_999, 25_050}));
                            return new OnlineStoreWrite(
                                    row.viewName, row.entityId, row, t, history);
                        })
                .toList();
    }

    /**
     * One row per entity with varied values: zero counts, fractions with long binary expansions,
     * large numbers, and event times to the millisecond.
     */
    private static List<FeatureRow> rows(FeatureViewSpec view, long shift) {
        List<FeatureRow> rows = new ArrayList<>();
        for (int i = 0; i < ENTITIES; i++) {
            double[] values = new double[view.featureCount()];
            for (int f = 0; f < values.length; f++) {
                values[f] =
                        view.features().get(f).type() == FeastType.INT64
                                ? (i * 7L + f) % 23 * (f == 4 ? 1_000_003L : 1L)
                                : (i % 5 == 0 ? 0.0 : (i * 123.457 + f) / (3 + f));
            }
            String id =
                    view.entityJoinKey().substring(0, 1).toUpperCase() + String.format("%04d", i);
            rows.add(new FeatureRow(view.name(), id, BASE_TIME + i * 1_001L + shift, 0, values));
        }
        return rows;
    }

    private static Map<String, Object> expectation(FeatureViewSpec view, List<FeatureRow> rows) {
        List<Map<String, Object>> features = new ArrayList<>();
        for (FeatureSpec f : view.features()) {
            features.add(Map.of("name", f.name(), "dtype", f.type().name()));
        }
        List<Map<String, Object>> expectedRows = new ArrayList<>();
        for (FeatureRow row : rows) {
            List<Object> values = new ArrayList<>();
            for (int f = 0; f < row.values.length; f++) {
                boolean integral = view.features().get(f).type() == FeastType.INT64;
                values.add(integral ? (Object) (long) row.values[f] : (Object) row.values[f]);
            }
            expectedRows.add(
                    Map.of(
                            "entity", row.entityId,
                            "event_time_millis", row.eventTimeMillis,
                            "values", values));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", view.name());
        out.put("join_key", view.entityJoinKey());
        out.put("features", features);
        out.put("rows", expectedRows);
        out.put("absent", List.of("never-written-1", "never-written-2"));
        return out;
    }

    private static Path repoRoot() throws IOException {
        // Failsafe runs in the module directory (feature-jobs/); the repository root is its parent.
        Path module = Path.of(System.getProperty("user.dir")).toRealPath();
        return module.getParent();
    }
}
