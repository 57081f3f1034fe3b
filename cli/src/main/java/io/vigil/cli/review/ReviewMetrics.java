package io.vigil.cli.review;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.ReviewVerdict;

/**
 * The review service's Prometheus metrics, in a registry of its own (one per service instance, so
 * tests can run several in a JVM). The pending gauge is read from the queue at scrape time.
 */
public final class ReviewMetrics {

    public final PrometheusRegistry registry = new PrometheusRegistry();

    private final Counter reviews =
            Counter.builder()
                    .name("vigil_reviews_total")
                    .help("Reviews this service committed, by verdict")
                    .labelNames("verdict")
                    .register(registry);
    private final Counter retrainRequests =
            Counter.builder()
                    .name("vigil_retrain_requests_total")
                    .help("Retrain requests this service committed")
                    .register(registry);
    private final Counter alertsReceived =
            Counter.builder()
                    .name("vigil_drift_alerts_received_total")
                    .help("Distinct drift alerts read from the drift-alerts topic")
                    .register(registry);
    private final Counter alertDuplicates =
            Counter.builder()
                    .name("vigil_drift_alert_duplicates_total")
                    .help("Drift alerts read again under an alert_id already known (ignored)")
                    .register(registry);
    private final Counter undecodable =
            Counter.builder()
                    .name("vigil_review_undecodable_records_total")
                    .help("Records of the drift-alerts or reviews topic that could not be decoded")
                    .labelNames("topic")
                    .register(registry);

    public ReviewMetrics(ReviewQueue queue) {
        GaugeWithCallback.builder()
                .name("vigil_reviews_pending")
                .help("Drift alerts waiting for a reviewer's verdict")
                .callback(callback -> callback.call(queue.pendingCount()))
                .register(registry);
        // Both verdicts show from the start, so a rate over them never misses its first review.
        for (ReviewVerdict verdict : ReviewVerdict.values()) {
            reviews.initLabelValues(verdict.name());
        }
    }

    void committed(ReviewBatch batch) {
        batch.reviews().forEach(r -> reviews.labelValues(r.getVerdict().name()).inc());
        retrainRequests.inc(batch.requests().size());
    }

    void alertRead(boolean firstOfItsId) {
        (firstOfItsId ? alertsReceived : alertDuplicates).inc();
    }

    void undecodable(String topic) {
        undecodable.labelValues(topic).inc();
    }
}
