package io.vigil.drift.records;

import io.vigil.schemas.DriftAlert;
import io.vigil.schemas.DriftMetric;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A drift alert as the window function emits it (a Flink POJO; {@link #toAvro} makes the {@link
 * DriftAlert} written to Kafka). Everything in it follows from the input, nothing from the clock: a
 * replay of the same decisions yields equal alerts.
 */
public class Alert {

    public String alertId;
    public String model;
    public String version;
    public String subject;
    public DriftMetric metric;
    public double value;
    public double threshold;
    public long windowStart;
    public long windowEnd;
    public long sampleSize;

    public Alert() {}

    public Alert(
            String model,
            String version,
            String subject,
            DriftMetric metric,
            double value,
            double threshold,
            long windowStart,
            long windowEnd,
            long sampleSize) {
        this.alertId = idOf(model, version, subject, metric, windowStart);
        this.model = model;
        this.version = version;
        this.subject = subject;
        this.metric = metric;
        this.value = value;
        this.threshold = threshold;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.sampleSize = sampleSize;
    }

    /**
     * A name-based (version 3) UUID of {@code model|version|subject|metric|windowStart}: the same
     * alert gets the same id after a restart or a replay, so the review queue can deduplicate.
     */
    public static String idOf(
            String model, String version, String subject, DriftMetric metric, long windowStart) {
        String name = model + "|" + version + "|" + subject + "|" + metric + "|" + windowStart;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The alert as written to Kafka; {@code created_at} is the window end (event time). */
    public DriftAlert toAvro() {
        return DriftAlert.newBuilder()
                .setAlertId(alertId)
                .setCreatedAt(Instant.ofEpochMilli(windowEnd))
                .setModel(model)
                .setVersion(version)
                .setSubject(subject)
                .setMetric(metric)
                .setValue(value)
                .setThreshold(threshold)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setSampleSize(sampleSize)
                .build();
    }

    @Override
    public String toString() {
        return "Alert{" + model + " " + version + " " + subject + " " + metric + "=" + value + "}";
    }
}
