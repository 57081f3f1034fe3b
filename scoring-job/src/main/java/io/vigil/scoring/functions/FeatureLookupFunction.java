package io.vigil.scoring.functions;

import io.vigil.scoring.ScoringJobConfig;
import io.vigil.scoring.lookup.RedisHistoryLookup;
import io.vigil.scoring.metrics.ScoringMetrics;
import io.vigil.scoring.records.ScoringRequest;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Fetches both history snapshots of a transaction from Redis without blocking the task thread
 * (Flink async I/O over {@link RedisHistoryLookup}'s pipelined batches). A failed or timed-out
 * lookup still emits the request, with {@code lookupFailure} set, so scoring falls back instead of
 * dropping or stalling the transaction.
 */
public class FeatureLookupFunction extends RichAsyncFunction<ScoringRequest, ScoringRequest> {

    private final ScoringJobConfig.Redis redis;
    private final String metricsHost;
    private final int metricsPort;
    private transient RedisHistoryLookup lookup;
    private transient ScoringMetrics metrics;

    public FeatureLookupFunction(
            ScoringJobConfig.Redis redis, String metricsHost, int metricsPort) {
        this.redis = redis;
        this.metricsHost = metricsHost;
        this.metricsPort = metricsPort;
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = ScoringMetrics.acquire(metricsHost, metricsPort);
        lookup =
                new RedisHistoryLookup(
                        redis.topology(),
                        redis.auth(),
                        redis.project(),
                        redis.timeout(),
                        redis.retryInterval(),
                        redis.maxBatch());
    }

    @Override
    public void close() {
        if (lookup != null) {
            lookup.close();
        }
        if (metrics != null) {
            ScoringMetrics.release(metrics);
        }
    }

    @Override
    public void asyncInvoke(ScoringRequest req, ResultFuture<ScoringRequest> resultFuture) {
        long start = System.nanoTime();
        lookup.lookup(req.customerId, req.terminalId)
                .whenComplete(
                        (snapshots, failure) -> {
                            ScoringRequest result = req.copy();
                            long nanos = System.nanoTime() - start;
                            result.lookupMicros = nanos / 1_000;
                            if (failure != null) {
                                result.lookupFailure = "redis_unavailable";
                            } else {
                                metrics.lookupLatency.observe(nanos / 1e9);
                                result.customerHistory = snapshots.customer();
                                result.terminalHistory = snapshots.terminal();
                                result.storeResetAtMillis = snapshots.storeResetAtMillis();
                            }
                            resultFuture.complete(List.of(result));
                        });
    }

    @Override
    public void timeout(ScoringRequest req, ResultFuture<ScoringRequest> resultFuture) {
        ScoringRequest result = req.copy();
        result.lookupFailure = "lookup_timeout";
        resultFuture.complete(List.of(result));
    }
}
