package io.vigil.drift.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The drift job's Prometheus metrics, served on {@code /metrics} by one HTTP server per JVM. The
 * subtasks of a TaskManager share one instance ({@link #acquire}, {@link #release}); the server
 * stops with the last user so a cancelled job frees its port.
 */
public final class DriftMetrics {

    private static DriftMetrics shared;
    private static int users;

    public final PrometheusRegistry registry = new PrometheusRegistry();
    public final Gauge psi =
            gauge(
                    "vigil_drift_psi",
                    "PSI of the last evaluated window against the reference profile",
                    "model",
                    "version",
                    "feature");
    public final Gauge ks =
            gauge(
                    "vigil_drift_ks",
                    "KS statistic at the reference bin edges, last evaluated window",
                    "model",
                    "version",
                    "feature");
    public final Gauge windowSamples =
            gauge(
                    "vigil_drift_window_samples",
                    "Decisions in the last evaluated window",
                    "model",
                    "version");
    public final Counter alerts =
            counter(
                    "vigil_drift_alerts_total",
                    "Drift alerts raised",
                    "model",
                    "version",
                    "feature",
                    "metric");
    public final Counter windows =
            counter(
                    "vigil_drift_windows_total",
                    "Closed windows by outcome: evaluated, too_few_samples, no_profile",
                    "model",
                    "version",
                    "outcome");
    public final Counter skippedSubjects =
            counter(
                    "vigil_drift_skipped_subjects_total",
                    "Subjects of evaluated windows left out for fewer values than --min-samples",
                    "model",
                    "version",
                    "feature");
    public final Counter suppressedAlerts =
            counter(
                    "vigil_drift_alerts_suppressed_total",
                    "Alerts not raised again within --realert-after of the same subject's last",
                    "model",
                    "version",
                    "feature",
                    "metric");
    public final Counter lateDecisions =
            counter(
                    "vigil_drift_late_decisions_total",
                    "Decisions dropped because their window had already been evaluated",
                    "model",
                    "version");
    public final Counter unattributedDecisions =
            counter(
                    "vigil_drift_unattributed_decisions_total",
                    "Decisions naming no model version, so nothing to compare");
    public final Counter deadLetters =
            counter(
                    "vigil_dead_letter_total",
                    "Records sent to the dead-letter topic, by reason",
                    "reason");

    private HTTPServer server;

    private DriftMetrics() {}

    /**
     * The process's metrics, serving them on {@code host:port} for the first user (0: any port).
     */
    public static synchronized DriftMetrics acquire(String host, int port) {
        if (shared == null) {
            DriftMetrics metrics = new DriftMetrics();
            try {
                metrics.server =
                        HTTPServer.builder()
                                .hostname(host)
                                .port(port)
                                .registry(metrics.registry)
                                .buildAndStart();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot serve drift metrics on " + host + ":" + port, e);
            }
            shared = metrics;
        }
        users++;
        return shared;
    }

    public static synchronized void release(DriftMetrics metrics) {
        if (metrics == shared && users > 0 && --users == 0) {
            shared.server.close();
            shared = null;
        }
    }

    /** The port the metrics are served on. */
    public int port() {
        return server.getPort();
    }

    private Gauge gauge(String name, String help, String... labels) {
        return Gauge.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }
}
