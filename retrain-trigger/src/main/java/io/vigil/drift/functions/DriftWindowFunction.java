package io.vigil.drift.functions;

import io.vigil.drift.DriftSettings;
import io.vigil.drift.DriftStatistics;
import io.vigil.drift.metrics.DriftMetrics;
import io.vigil.drift.records.Alert;
import io.vigil.drift.records.Observation;
import io.vigil.drift.records.WindowSubject;
import io.vigil.models.DistributionProfile;
import io.vigil.models.ReferenceProfile;
import io.vigil.schemas.DriftMetric;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per model version (the key), counts each subject's values in the reference profile's bins over
 * tumbling event-time windows, and when the watermark passes a window's end compares the counts
 * with the profile: PSI and binned KS per subject ({@link DriftStatistics}), gauges, and an {@link
 * Alert} for every statistic at or above its threshold.
 *
 * <p>A window is evaluated once. An observation whose window the watermark has already passed is
 * late: it is counted ({@code vigil_drift_late_decisions_total}) and dropped, since its window's
 * verdict is out. A window with fewer than {@code minSamples} decisions is only counted ({@code
 * too_few_samples}); in an evaluated window, a subject with fewer than {@code minSamples} values (a
 * feature mostly null, scores of fallback decisions) is counted as skipped. A version without a
 * profile in the registry has its windows counted as {@code no_profile}. An evaluated window's
 * state and timer are gone afterwards, whatever its outcome.
 *
 * <p>A subject that keeps drifting alerts once per {@code realertMillis} of event time and
 * statistic (the later windows' alerts are counted as suppressed; the gauges still show every
 * window), so reviewers get one question per drift, not one per window. The window start of each
 * subject's last alert is kept until it no longer suppresses anything: at most one entry per
 * subject and statistic.
 */
public class DriftWindowFunction
        extends KeyedProcessFunction<Tuple2<String, String>, Observation, Alert> {

    private final DriftSettings settings;

    private transient MapState<Long, Long> samples;
    private transient MapState<WindowSubject, long[]> bins;
    private transient MapState<String, Long> lastAlerts;
    private transient ReferenceProfiles profiles;
    private transient Set<String> ignored;
    private transient DriftMetrics metrics;

    public DriftWindowFunction(DriftSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        samples =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("samples", Types.LONG, Types.LONG));
        bins =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "bins",
                                        TypeInformation.of(WindowSubject.class),
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        lastAlerts =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("last-alerts", Types.STRING, Types.LONG));
        profiles = new ReferenceProfiles(settings.registry());
        ignored = Set.copyOf(settings.ignoredFeatures());
        metrics = DriftMetrics.acquire(settings.metricsHost(), settings.metricsPort());
    }

    @Override
    public void close() {
        if (metrics != null) {
            DriftMetrics.release(metrics);
        }
    }

    @Override
    public void processElement(Observation observation, Context ctx, Collector<Alert> out)
            throws Exception {
        long start = windowStart(observation.eventTimeMillis);
        long lastMillis = start + settings.windowMillis() - 1;
        if (lastMillis <= ctx.timerService().currentWatermark()) {
            metrics.lateDecisions.labelValues(observation.model, observation.version).inc();
            return;
        }
        Long seen = samples.get(start);
        if (seen == null) {
            ctx.timerService().registerEventTimeTimer(lastMillis);
        }
        samples.put(start, seen == null ? 1 : seen + 1);

        ReferenceProfile profile = profiles.get(ctx.getCurrentKey());
        if (profile == null) {
            return;
        }
        for (int i = 0; i < observation.subjects.length; i++) {
            DistributionProfile reference = referenceOf(profile, observation.subjects[i]);
            if (reference == null) {
                continue;
            }
            WindowSubject key = new WindowSubject(start, observation.subjects[i]);
            long[] counts = bins.get(key);
            if (counts == null) {
                counts = new long[reference.binCounts().size()];
            }
            counts[reference.binOf(observation.values[i])]++;
            bins.put(key, counts);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long start = windowStart(timestamp);
        long end = start + settings.windowMillis();
        long decisions = samples.get(start);
        samples.remove(start);
        Map<String, long[]> live = removeCounts(start);
        // Every window, evaluated or not, so a version whose traffic fell keeps no alert state.
        forgetExpiredAlerts(start);

        Tuple2<String, String> key = ctx.getCurrentKey();
        String model = key.f0;
        String version = key.f1;
        ReferenceProfile profile = profiles.get(key);
        if (profile == null) {
            metrics.windows.labelValues(model, version, "no_profile").inc();
            profiles.forgetMissing(key);
            return;
        }
        if (decisions < settings.minSamples()) {
            metrics.windows.labelValues(model, version, "too_few_samples").inc();
            return;
        }
        metrics.windows.labelValues(model, version, "evaluated").inc();
        metrics.windowSamples.labelValues(model, version).set(decisions);
        live.forEach(
                (subject, counts) -> {
                    long values = sum(counts);
                    if (values < settings.minSamples()) {
                        metrics.skippedSubjects.labelValues(model, version, subject).inc();
                        return;
                    }
                    DistributionProfile profiled = referenceOf(profile, subject);
                    if (profiled == null) {
                        // Restored state counted under an --ignore-features list since changed.
                        return;
                    }
                    long[] reference = longs(profiled.binCounts());
                    double psi = DriftStatistics.psi(reference, counts);
                    double ks = DriftStatistics.binnedKs(reference, counts);
                    metrics.psi.labelValues(model, version, subject).set(psi);
                    metrics.ks.labelValues(model, version, subject).set(ks);
                    List<Alert> alerts = new ArrayList<>(2);
                    if (psi >= settings.psiThreshold()) {
                        alerts.add(
                                new Alert(
                                        model,
                                        version,
                                        subject,
                                        DriftMetric.PSI,
                                        psi,
                                        settings.psiThreshold(),
                                        start,
                                        end,
                                        values));
                    }
                    if (ks >= settings.ksThreshold()) {
                        alerts.add(
                                new Alert(
                                        model,
                                        version,
                                        subject,
                                        DriftMetric.KS,
                                        ks,
                                        settings.ksThreshold(),
                                        start,
                                        end,
                                        values));
                    }
                    for (Alert alert : alerts) {
                        if (suppressed(subject + "|" + alert.metric, start)) {
                            metrics.suppressedAlerts
                                    .labelValues(model, version, subject, alert.metric.name())
                                    .inc();
                            continue;
                        }
                        metrics.alerts
                                .labelValues(model, version, subject, alert.metric.name())
                                .inc();
                        out.collect(alert);
                    }
                });
    }

    /**
     * Whether an alert of {@code subjectMetric} in the window starting at {@code start} repeats one
     * raised less than {@code realertMillis} before; if not, it becomes the one later ones repeat.
     */
    private boolean suppressed(String subjectMetric, long start) {
        if (settings.realertMillis() == 0) {
            return false;
        }
        try {
            Long last = lastAlerts.get(subjectMetric);
            if (last != null && start - last < settings.realertMillis()) {
                return true;
            }
            lastAlerts.put(subjectMetric, start);
            return false;
        } catch (Exception e) {
            throw new IllegalStateException("reading the drift job's alert state failed", e);
        }
    }

    /** Drops the last alerts that can no longer suppress one of a window starting after start. */
    private void forgetExpiredAlerts(long start) throws Exception {
        Iterator<Map.Entry<String, Long>> entries = lastAlerts.iterator();
        while (entries.hasNext()) {
            if (start - entries.next().getValue() >= settings.realertMillis()) {
                entries.remove();
            }
        }
        // The iterator's remove leaves an empty map behind in heap state; clear() drops the entry.
        if (lastAlerts.isEmpty()) {
            lastAlerts.clear();
        }
    }

    /** The profile of {@code subject}, or null for a subject not monitored or not profiled. */
    private DistributionProfile referenceOf(ReferenceProfile profile, String subject) {
        if (Observation.SCORE.equals(subject)) {
            return profile.score();
        }
        return ignored.contains(subject) ? null : profile.features().get(subject);
    }

    /** Removes and returns the window's counts by subject (in subject order, for stable output). */
    private Map<String, long[]> removeCounts(long start) throws Exception {
        Map<String, long[]> counts = new TreeMap<>();
        Iterator<Map.Entry<WindowSubject, long[]>> entries = bins.iterator();
        while (entries.hasNext()) {
            Map.Entry<WindowSubject, long[]> entry = entries.next();
            if (entry.getKey().windowStart == start) {
                counts.put(entry.getKey().subject, entry.getValue());
                entries.remove();
            }
        }
        // An iterator's removals leave an empty map behind, still a state entry of this key.
        if (bins.isEmpty()) {
            bins.clear();
        }
        return counts;
    }

    private long windowStart(long eventTimeMillis) {
        return eventTimeMillis - Math.floorMod(eventTimeMillis, settings.windowMillis());
    }

    private static long sum(long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    private static long[] longs(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }
}
