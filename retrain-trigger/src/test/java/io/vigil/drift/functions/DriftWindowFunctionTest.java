package io.vigil.drift.functions;

import static io.vigil.drift.ProfiledRegistry.AMOUNT;
import static io.vigil.drift.ProfiledRegistry.COUNT;
import static io.vigil.drift.ProfiledRegistry.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.drift.DriftSettings;
import io.vigil.drift.ProfiledRegistry;
import io.vigil.drift.metrics.DriftMetrics;
import io.vigil.drift.records.Alert;
import io.vigil.drift.records.Observation;
import io.vigil.schemas.DriftMetric;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftWindowFunctionTest {

    private static final long HOUR = 3_600_000;
    private static final long T0 = 1_527_811_200_000L; // 2018-06-01T00:00:00Z, a window start
    private static final int MIN_SAMPLES = 500;

    @TempDir Path registry;

    private DriftMetrics metrics;
    private KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, Observation, Alert>
            harness;

    @BeforeEach
    void open() throws Exception {
        ProfiledRegistry.addVersion(registry, "v1", ProfiledRegistry.referenceProfile(20_000, 1));
        ProfiledRegistry.addVersion(registry, "unprofiled", null);
        metrics = DriftMetrics.acquire("127.0.0.1", 0);
        openHarness(0);
    }

    /** The function under test, re-alerting after {@code realertMillis} (0: every window). */
    private void openHarness(long realertMillis) throws Exception {
        DriftSettings settings =
                new DriftSettings(
                        registry.toString(),
                        HOUR,
                        MIN_SAMPLES,
                        0.2,
                        0.1,
                        realertMillis,
                        List.of("request:tx_during_night"),
                        "127.0.0.1",
                        0);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DriftWindowFunction(settings)),
                        Observation::modelVersion,
                        Types.TUPLE(Types.STRING, Types.STRING));
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
        DriftMetrics.release(metrics);
    }

    @Test
    void aShiftedAmountAndScoreRaiseAlertsForThemOnly() throws Exception {
        Random random = new Random(2);
        for (int i = 0; i < 1_000; i++) {
            send(
                    "v1",
                    T0 + i * 3_000L,
                    3 * ProfiledRegistry.amount(random),
                    ProfiledRegistry.count(random),
                    Math.min(1, ProfiledRegistry.score(random) + 0.3));
        }
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(T0 + HOUR - 1);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts)
                .extracting(a -> a.subject, a -> a.metric)
                .containsExactlyInAnyOrder(
                        tuple(AMOUNT, DriftMetric.PSI),
                        tuple(AMOUNT, DriftMetric.KS),
                        tuple(Observation.SCORE, DriftMetric.PSI),
                        tuple(Observation.SCORE, DriftMetric.KS));
        for (Alert alert : alerts) {
            assertThat(alert.model).isEqualTo(MODEL);
            assertThat(alert.version).isEqualTo("v1");
            assertThat(alert.windowStart).isEqualTo(T0);
            assertThat(alert.windowEnd).isEqualTo(T0 + HOUR);
            assertThat(alert.sampleSize).isEqualTo(1_000);
            assertThat(alert.value).isGreaterThanOrEqualTo(alert.threshold);
            assertThat(alert.threshold).isEqualTo(alert.metric == DriftMetric.PSI ? 0.2 : 0.1);
            String name = MODEL + "|v1|" + alert.subject + "|" + alert.metric + "|" + T0;
            assertThat(alert.alertId)
                    .isEqualTo(
                            UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8))
                                    .toString());
        }
        assertThat(gauge(metrics.psi, COUNT)).isLessThan(0.05);
        assertThat(gauge(metrics.psi, AMOUNT)).isGreaterThan(1);
        assertThat(metrics.alerts.labelValues(MODEL, "v1", AMOUNT, "PSI").get()).isEqualTo(1);
        assertThat(metrics.windowSamples.labelValues(MODEL, "v1").get()).isEqualTo(1_000);
        assertThat(windows("v1", "evaluated")).isEqualTo(1);
        assertCleanedUp();
    }

    @Test
    void aPersistingDriftAlertsAgainOnlyAfterTheRealertPeriod() throws Exception {
        harness.close();
        openHarness(2 * HOUR);
        Random random = new Random(7);
        for (long hour = 0; hour < 3; hour++) {
            sendWindow(T0 + hour * HOUR, true, random);
            harness.processWatermark(T0 + (hour + 1) * HOUR - 1);
        }

        // The second hour repeats the first's alerts within 2 h; the third is 2 h after it.
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.windowStart)
                .containsExactlyInAnyOrder(
                        T0, T0, T0, T0, T0 + 2 * HOUR, T0 + 2 * HOUR, T0 + 2 * HOUR, T0 + 2 * HOUR);
        assertThat(metrics.suppressedAlerts.labelValues(MODEL, "v1", AMOUNT, "PSI").get())
                .isEqualTo(1);
        assertThat(metrics.alerts.labelValues(MODEL, "v1", AMOUNT, "PSI").get()).isEqualTo(2);
        assertThat(gauge(metrics.psi, AMOUNT)).isGreaterThan(1);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        // An evaluated window 2 h after the last alerts forgets them.
        sendWindow(T0 + 5 * HOUR, false, random);
        harness.processWatermark(T0 + 6 * HOUR - 1);

        assertThat(harness.extractOutputValues()).hasSize(8);
        assertCleanedUp();
    }

    @Test
    void aWindowWithTooFewSamplesAlsoForgetsAlertsThatCanNoLongerSuppress() throws Exception {
        harness.close();
        openHarness(2 * HOUR);
        Random random = new Random(8);
        sendWindow(T0, true, random);
        harness.processWatermark(T0 + HOUR - 1);
        assertThat(harness.extractOutputValues()).isNotEmpty();

        // Traffic fell below --min-samples: the window is not evaluated, the old alerts still go.
        for (int i = 0; i < MIN_SAMPLES - 1; i++) {
            send("v1", T0 + 5 * HOUR + i, ProfiledRegistry.amount(random), 0, 0.5);
        }
        harness.processWatermark(T0 + 6 * HOUR - 1);

        assertThat(windows("v1", "too_few_samples")).isEqualTo(1);
        assertCleanedUp();
    }

    @Test
    void inDistributionWindowsRaiseNoAlertAndAreEvaluatedOneByOne() throws Exception {
        Random random = new Random(3);
        // Two windows open at once: decisions of the second arrive before the first closes.
        for (int i = 0; i < 2_000; i++) {
            long time = T0 + HOUR - 1_000_000 + i * 1_000L;
            send(
                    "v1",
                    time,
                    ProfiledRegistry.amount(random),
                    ProfiledRegistry.count(random),
                    ProfiledRegistry.score(random));
        }
        harness.processWatermark(T0 + HOUR - 1);
        assertThat(windows("v1", "too_few_samples")).isEqualTo(0);
        assertThat(windows("v1", "evaluated")).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(T0 + 2 * HOUR - 1);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(windows("v1", "evaluated")).isEqualTo(2);
        for (String subject : List.of(AMOUNT, COUNT, Observation.SCORE)) {
            assertThat(gauge(metrics.psi, subject)).isBetween(0.0, 0.05);
            assertThat(gauge(metrics.ks, subject)).isBetween(0.0, 0.06);
        }
        assertCleanedUp();
    }

    @Test
    void aWindowWithTooFewSamplesIsCountedNotEvaluated() throws Exception {
        Random random = new Random(4);
        for (int i = 0; i < MIN_SAMPLES - 1; i++) {
            send("v1", T0 + i, 10 * ProfiledRegistry.amount(random), 0, 0.9);
        }

        harness.processWatermark(T0 + HOUR - 1);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(windows("v1", "too_few_samples")).isEqualTo(1);
        assertThat(windows("v1", "evaluated")).isEqualTo(0);
        assertCleanedUp();
    }

    @Test
    void aSubjectWithTooFewValuesIsSkippedInAnEvaluatedWindow() throws Exception {
        Random random = new Random(5);
        for (int i = 0; i < 1_000; i++) {
            // Fallback decisions without a score: the features still count.
            Double score = i < 100 ? 0.99 : null;
            send("v1", T0 + i, ProfiledRegistry.amount(random), 1, score);
        }

        harness.processWatermark(T0 + HOUR - 1);

        assertThat(windows("v1", "evaluated")).isEqualTo(1);
        assertThat(metrics.skippedSubjects.labelValues(MODEL, "v1", Observation.SCORE).get())
                .isEqualTo(1);
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.subject)
                .doesNotContain(Observation.SCORE, AMOUNT)
                .contains(COUNT);
        assertCleanedUp();
    }

    @Test
    void aDecisionForAnEvaluatedWindowIsCountedAsLateAndDropped() throws Exception {
        send("v1", T0 + 10, 50, 1, 0.1);
        harness.processWatermark(T0 + HOUR - 1);
        assertThat(windows("v1", "too_few_samples")).isEqualTo(1);

        send("v1", T0 + HOUR - 1, 50, 1, 0.1);

        assertThat(metrics.lateDecisions.labelValues(MODEL, "v1").get()).isEqualTo(1);
        assertCleanedUp();
        harness.processWatermark(T0 + 2 * HOUR);
        assertThat(windows("v1", "too_few_samples")).isEqualTo(1);
    }

    @Test
    void versionsWithoutAProfileAreCountedAndSkipped() throws Exception {
        Random random = new Random(6);
        for (String version : List.of("unprofiled", "never-registered")) {
            for (int i = 0; i < 1_000; i++) {
                send(version, T0 + i, 10 * ProfiledRegistry.amount(random), 1, 0.99);
            }
        }

        harness.processWatermark(T0 + HOUR - 1);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(windows("unprofiled", "no_profile")).isEqualTo(1);
        assertThat(windows("never-registered", "no_profile")).isEqualTo(1);
        assertCleanedUp();
    }

    /** 1,000 decisions of version v1 in the hour from {@code start}, shifted or as profiled. */
    private void sendWindow(long start, boolean shifted, Random random) throws Exception {
        for (int i = 0; i < 1_000; i++) {
            double amount = ProfiledRegistry.amount(random);
            double score = ProfiledRegistry.score(random);
            send(
                    "v1",
                    start + i * 3_000L,
                    shifted ? 3 * amount : amount,
                    ProfiledRegistry.count(random),
                    shifted ? Math.min(1, score + 0.3) : score);
        }
    }

    private void send(String version, long time, double amount, double count, Double score)
            throws Exception {
        String[] subjects =
                score == null
                        ? new String[] {AMOUNT, COUNT, "request:tx_during_night"}
                        : new String[] {
                            AMOUNT, COUNT, "request:tx_during_night", Observation.SCORE
                        };
        double[] values =
                score == null
                        ? new double[] {amount, count, 1}
                        : new double[] {amount, count, 1, score};
        harness.processElement(
                new StreamRecord<>(new Observation(MODEL, version, time, subjects, values), time));
    }

    private double windows(String version, String outcome) {
        return metrics.windows.labelValues(MODEL, version, outcome).get();
    }

    private static double gauge(io.prometheus.metrics.core.metrics.Gauge gauge, String subject) {
        return gauge.labelValues(MODEL, "v1", subject).get();
    }

    private void assertCleanedUp() {
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
