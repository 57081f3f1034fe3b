package io.vigil.scoring.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The scoring job's Prometheus metrics (names in ARCHITECTURE.md "Metrics"), served on {@code
 * /metrics} by one HTTP server per JVM.
 *
 * <p>Every subtask of the job in a TaskManager shares one instance: Prometheus needs each series
 * once per process, and aggregation across subtasks is what the histogram buckets are for. {@link
 * #acquire} and {@link #release} count the users; the server stops with the last one, so a
 * cancelled job frees its port. This process-wide holder is the one mutable static of the job, and
 * the reason is the one-port-per-process nature of a scrape target.
 */
public final class ScoringMetrics {

    private static final double[] LATENCY_BUCKETS = {
        0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5
    };

    private static ScoringMetrics shared;
    private static int users;

    public final PrometheusRegistry registry = new PrometheusRegistry();
    public final Histogram e2eLatency =
            latency(
                    "vigil_e2e_latency_seconds",
                    "Transaction produced to Kafka until its decision is emitted");
    public final Histogram lookupLatency =
            latency(
                    "vigil_feature_lookup_seconds",
                    "One pipelined Redis round trip for a transaction's feature histories");
    public final Histogram inferenceLatency =
            Histogram.builder()
                    .name("vigil_model_inference_seconds")
                    .help("One ONNX inference")
                    .labelNames("model", "version", "role")
                    .classicOnly()
                    .classicUpperBounds(LATENCY_BUCKETS)
                    .register(registry);
    public final Histogram scores =
            Histogram.builder()
                    .name("vigil_model_score")
                    .help("Fraud probabilities returned by each model")
                    .labelNames("model", "version", "role")
                    .classicOnly()
                    .classicLinearUpperBounds(0.05, 0.05, 20)
                    .register(registry);
    public final Counter decisions =
            counter(
                    "vigil_decisions_total",
                    "Decisions by outcome and by the role that decided",
                    "decision",
                    "role");
    public final Counter agreement =
            counter(
                    "vigil_challenger_agreement_total",
                    "Whether the challenger's band equals the champion's",
                    "mode",
                    "agree");
    public final Counter fallbacks =
            counter(
                    "vigil_fallback_total",
                    "Transactions decided or scored in a degraded way, by reason",
                    "reason");
    public final Counter deadLetters =
            counter(
                    "vigil_dead_letter_total",
                    "Records sent to the dead-letter topic, by reason",
                    "reason");
    public final Counter modelSwaps =
            counter(
                    "vigil_model_swaps_total",
                    "Model loads by role and outcome (loaded or failed)",
                    "role",
                    "outcome");
    public final Counter fraudLabels =
            counter(
                    "vigil_scoring_fraud_labels_total",
                    "Fraud labels received by the scoring job",
                    "outcome");
    public final Gauge modelInfo =
            Gauge.builder()
                    .name("vigil_model_info")
                    .help("1 for each model version in use, by role and challenger mode")
                    .labelNames("role", "model", "version", "mode")
                    .register(registry);

    private HTTPServer server;

    private ScoringMetrics() {}

    /**
     * The process's metrics, starting the HTTP server on {@code host:port} for the first user (port
     * 0: any free port).
     */
    public static synchronized ScoringMetrics acquire(String host, int port) {
        if (shared == null) {
            ScoringMetrics metrics = new ScoringMetrics();
            try {
                metrics.server =
                        HTTPServer.builder()
                                .hostname(host)
                                .port(port)
                                .registry(metrics.registry)
                                .buildAndStart();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot serve scoring metrics on " + host + ":" + port, e);
            }
            shared = metrics;
        }
        users++;
        return shared;
    }

    public static synchronized void release(ScoringMetrics metrics) {
        if (metrics != shared || users == 0) {
            return;
        }
        if (--users == 0) {
            shared.server.close();
            shared = null;
        }
    }

    /** The port the metrics are served on. */
    public int port() {
        return server.getPort();
    }

    private Histogram latency(String name, String help) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .register(registry);
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }
}
