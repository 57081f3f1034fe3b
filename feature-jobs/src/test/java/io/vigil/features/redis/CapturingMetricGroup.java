package io.vigil.features.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * A metric group that keeps what is registered on it, so tests read metrics as a reporter would.
 */
final class CapturingMetricGroup extends UnregisteredMetricsGroup {
    final Map<String, Metric> metrics = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name) {
        return counter(name, new SimpleCounter());
    }

    @Override
    public <C extends Counter> C counter(String name, C counter) {
        metrics.put(name, counter);
        return counter;
    }

    @Override
    public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
        metrics.put(name, gauge);
        return gauge;
    }

    @Override
    public <M extends Meter> M meter(String name, M meter) {
        metrics.put(name, meter);
        return meter;
    }

    @Override
    public <H extends Histogram> H histogram(String name, H histogram) {
        metrics.put(name, histogram);
        return histogram;
    }

    long count(String name) {
        Metric m = metrics.get(name);
        if (m instanceof Counter c) {
            return c.getCount();
        }
        if (m instanceof Histogram h) {
            return h.getCount();
        }
        throw new IllegalStateException(
                "no counter or histogram named " + name + ": " + metrics.keySet());
    }

    Histogram histogram(String name) {
        return (Histogram) metrics.get(name);
    }
}
