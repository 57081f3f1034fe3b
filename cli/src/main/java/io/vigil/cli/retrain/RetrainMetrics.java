package io.vigil.cli.retrain;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter runs =
            Counter.builder()
                    .name("vigil_retrain_runs_total")
                    .help(
                            "Attempts at retrain requests, by outcome (registered, refused,"
                                    + " duplicate; retried: a transient failure, tried again)")
                    .labelNames("outcome")
                    .register(registry);
    private final Histogram duration =
            Histogram.builder()
                    .name("vigil_retrain_duration_seconds")
                    .help("Time of one attempt at a retrain request, training included, by outcome")
                    .labelNames("outcome")
                    .classicOnly()
                    .classicUpperBounds(DURATION_BUCKETS)
                    .register(registry);
    private final Gauge lastSuccess =
            Gauge.builder()
                    .name("vigil_retrain_last_success_timestamp_seconds")
                    .help("Unix time at which a retrain request last registered a challenger")
                    .register(registry);
    private final HTTPServer server;

    private RetrainMetrics(Integer port) {
        for (RetrainOutcome outcome : RetrainOutcome.values()) {
            runs.initLabelValues(outcome.label()); // 0, not absent, before the first of each
        }
        if (port == null) {
            server = null;
            return;
        }
        try {
            server = HTTPServer.builder().port(port).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve retrain metrics on port " + port, e);
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
        if (server == null) {
            throw new IllegalStateException("the retrain metrics are not served");
        }
        return server.getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
