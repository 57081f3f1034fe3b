package io.vigil.features.bench;

import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import java.nio.charset.StandardCharsets;
import java.util.List;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Prints what a Feast project's entity keys cost Redis, per feature view: how many keys, their mean
 * {@code MEMORY USAGE} and the mean and largest size of Vigil's {@code _vigil_history:<view>}
 * snapshot, over a sample of keys.
 *
 * <pre>
 * java -cp ... io.vigil.features.bench.RedisFootprint --redis-port 6379 --project vigil [--sample 2000]
 * </pre>
 */
public final class RedisFootprint {

    private RedisFootprint() {}

    public static void main(String[] args) {
        BenchArgs a =
                BenchArgs.parse(
                        args,
                        "redis-host",
                        "127.0.0.1",
                        "redis-port",
                        null,
                        "project",
                        null,
                        "sample",
                        "2000");
        byte[] project = a.text("project").getBytes(StandardCharsets.UTF_8);
        int sample = a.integer("sample");
        try (RedisClient client =
                RedisClient.create(a.text("redis-host"), a.integer("redis-port"))) {
            for (FeatureViewSpec view : FeatureViews.ALL) {
                report(client, view, project, sample);
            }
        }
    }

    private static void report(
            RedisClient client, FeatureViewSpec view, byte[] project, int sample) {
        // Keys end with the project; the v3 entity key names the join key in clear.
        byte[] pattern =
                ("*" + view.entityJoinKey() + "*" + new String(project, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
        ScanParams params = new ScanParams().match(pattern).count(1_000);
        byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
        long keys = 0;
        long sampled = 0;
        long memory = 0;
        long histories = 0;
        long historyBytes = 0;
        long largest = 0;
        do {
            ScanResult<byte[]> page = client.scan(cursor, params);
            cursor = page.getCursorAsBytes();
            List<byte[]> found = page.getResult();
            keys += found.size();
            for (byte[] key : found) {
                if (sampled >= sample) {
                    break;
                }
                sampled++;
                Long usage = client.memoryUsage(key);
                memory += usage == null ? 0 : usage;
                long length = client.hstrlen(key, view.historyField());
                if (length > 0) {
                    histories++;
                    historyBytes += length;
                    largest = Math.max(largest, length);
                }
            }
        } while (!new String(cursor, StandardCharsets.US_ASCII).equals("0"));
        System.out.printf(
                "  %-18s %,9d keys; of %,d sampled: MEMORY USAGE %.0f bytes/key, %s snapshot"
                        + " %.0f bytes mean, %,d max (%,d with one)%n",
                view.name(),
                keys,
                sampled,
                sampled == 0 ? 0.0 : memory / (double) sampled,
                new String(view.historyField(), StandardCharsets.UTF_8),
                histories == 0 ? 0.0 : historyBytes / (double) histories,
                largest,
                histories);
    }
}
