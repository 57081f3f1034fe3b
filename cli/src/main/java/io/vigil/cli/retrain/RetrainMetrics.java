package io.vigil.cli.retrain;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.cli.MetricsEndpoint;
import java.time.Duration;
import java.time.Instant;

/**
 * The retrain follower's Prometheus metrics, served on {@code /metrics} or not at all:
 *
 * <ul>
 *   <li>{@code vigil_retrain_runs_total{outcome}}: attempts at requests, by {@link RetrainOutcome};
 *       each request ends in one registered, refused or duplicate, after as many retried as it had
 *       transient failures;
 *   <li>{@code vigil_retrain_duration_seconds{outcome}}: how long one attempt took;
 *   <li>{@code vigil_retrain_last_success_timestamp_seconds}: when a request was last registered.
 * </ul>
 */
public final class RetrainMetrics implements AutoCloseable {

    // Refusals and duplicates take milliseconds, a training run minutes.
    private static final double[] DURATION_BUCKETS = {
        0.01, 0.1, 1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600
    };

    private final MetricsEndpoint endpoint;
    private final Counter runs;
    private final Histogram duration;
    private final Gauge lastSuccess;

    private RetrainMetrics(Integer port) {
        endpoint = MetricsEndpoint.open(port, "retrain");
        PrometheusRegistry registry = endpoint.registry();
        runs =
                Counter.builder()
                        .name("vigil_retrain_runs_total")
                        .help(
                                "Attempts at retrain requests, by outcome (registered, refused,"
                                        + " duplicate; retried: a transient failure, tried again)")
                        .labelNames("outcome")
                        .register(registry);
        duration =
                Histogram.builder()
                        .name("vigil_retrain_duration_seconds")
                        .help(
                                "Time of one attempt at a retrain request, training included, by outcome")
                        .labelNames("outcome")
                        .classicOnly()
                        .classicUpperBounds(DURATION_BUCKETS)
                        .register(registry);
        lastSuccess =
                Gauge.builder()
                        .name("vigil_retrain_last_success_timestamp_seconds")
                        .help("Unix time at which a retrain request last registered a challenger")
                        .register(registry);
        for (RetrainOutcome outcome : RetrainOutcome.values()) {
            runs.initLabelValues(outcome.label()); // 0, not absent, before the first of each
        }
    }

    /** Metrics served on {@code port} of every interface ({@code 0}: any free port). */
    public static RetrainMetrics serve(int port) {
        return new RetrainMetrics(port);
    }

    /** Metrics kept but not served. */
    public static RetrainMetrics unserved() {
        return new RetrainMetrics(null);
    }

    public void record(RetrainOutcome outcome, Duration took, Instant now) {
        runs.labelValues(outcome.label()).inc();
        duration.labelValues(outcome.label()).observe(took.toNanos() / 1e9);
        if (outcome == RetrainOutcome.REGISTERED) {
            lastSuccess.set(now.toEpochMilli() / 1e3);
        }
    }

    public long runs(RetrainOutcome outcome) {
        return (long) runs.labelValues(outcome.label()).get();
    }

    /** The port served on. */
    public int port() {
        return endpoint.port();
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
