package io.vigil.cli.review;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads one counter or gauge value from a registry, as a scrape would see it. */
final class MetricSamples {

    private MetricSamples() {}

    /**
     * @param name the metric name without a {@code _total} suffix
     * @param labels name, value, name, value…
     */
    static double value(PrometheusRegistry registry, String name, String... labels) {
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (!snapshot.getMetadata().getPrometheusName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                if (!point.getLabels().equals(Labels.of(labels))) {
                    continue;
                }
                if (point instanceof CounterDataPointSnapshot counter) {
                    return counter.getValue();
                }
                if (point instanceof GaugeDataPointSnapshot gauge) {
                    return gauge.getValue();
                }
            }
        }
        throw new AssertionError("no sample " + name + " " + String.join(",", labels));
    }
}
