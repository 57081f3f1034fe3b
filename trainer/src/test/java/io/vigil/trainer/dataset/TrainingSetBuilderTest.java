package io.vigil.trainer.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.models.FeatureCatalog;
import io.vigil.models.InputSignature;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainingSetBuilderTest {

    private static final InputSignature SIGNATURE =
            FeatureCatalog.v1()
                    .signature(
                            "features", List.of("request:tx_amount", "customer_spending:nb_tx_1d"));
    private static final Instant FROM = Instant.parse("2018-04-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2018-05-01T00:00:00Z");
    private static final Instant CUTOFF = TO;
    private static final Duration DELAY = Duration.ofDays(7);

    private final TrainingSetBuilder builder = new TrainingSetBuilder(SIGNATURE, DELAY);
    private final List<FeatureVector> log = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();

    @Test
    void aLabelKnownOnlyAfterTheCutoffDoesNotLeak() {
        vector("old-fraud", "2018-04-10T12:00:00Z", 1);
        label("old-fraud", "2018-05-02T00:00:00Z", true);
        vector("young-fraud", "2018-04-28T12:00:00Z", 1);
        label("young-fraud", "2018-05-02T00:00:00Z", true);

        TrainingSet atCutoff = builder.build(log, labels, FROM, TO, CUTOFF);
        // Unlabelled at the cut-off: the old one counts as legitimate, the young one is left out.
        assertThat(transactions(atCutoff)).containsExactly("old-fraud");
        assertThat(atCutoff.labels()).containsExactly(0);
        assertThat(atCutoff.stats().labelsAfterCutoff()).isEqualTo(2);
        assertThat(atCutoff.stats().tooRecent()).isEqualTo(1);

        // A week later both labels are known.
        TrainingSet later = builder.build(log, labels, FROM, TO, CUTOFF.plus(DELAY));
        assertThat(transactions(later)).containsExactly("old-fraud", "young-fraud");
        assertThat(later.labels()).containsExactly(1, 1);
        assertThat(later.stats().labelsAfterCutoff()).isZero();
    }

    @Test
    void unlabelledTransactionsAreLegitimateOnlyOnceTheLabelDelayHasPassed() {
        vector("at-limit", "2018-04-24T00:00:00Z", 1);
        vector("just-younger", "2018-04-24T00:00:01Z", 1);
        vector("young-known-fraud", "2018-04-30T00:00:00Z", 1);
        label("young-known-fraud", "2018-04-30T06:00:00Z", true);
        vector("young-known-legit", "2018-04-30T01:00:00Z", 1);
        label("young-known-legit", "2018-04-30T06:00:00Z", false);

        TrainingSet set = builder.build(log, labels, FROM, TO, CUTOFF);
        assertThat(transactions(set))
                .containsExactly("at-limit", "young-known-fraud", "young-known-legit");
        assertThat(set.labels()).containsExactly(0, 1, 0);
        assertThat(set.stats()).isEqualTo(new TrainingSetStats(1, 2, 1, 0, 0, 0, 0));
    }

    @Test
    void theLatestLabelKnownAtTheCutoffWins() {
        vector("corrected-to-fraud", "2018-04-05T00:00:00Z", 1);
        label("corrected-to-fraud", "2018-04-06T00:00:00Z", false);
        label("corrected-to-fraud", "2018-04-20T00:00:00Z", true);
        vector("corrected-too-late", "2018-04-05T01:00:00Z", 1);
        label("corrected-too-late", "2018-04-06T00:00:00Z", true);
        label("corrected-too-late", "2018-05-03T00:00:00Z", false);

        TrainingSet set = builder.build(log, labels, FROM, TO, CUTOFF);
        assertThat(set.labels()).containsExactly(1, 1);
        assertThat(set.stats().labelsAfterCutoff()).isEqualTo(1);
    }

    @Test
    void keepsRowsInTheWindowOfTheModelsFeatureVersionsOnceAndInTimeOrder() {
        vector("b", "2018-04-03T00:00:00Z", 2);
        vector("a", "2018-04-02T00:00:00Z", 1);
        vector("a", "2018-04-02T00:00:00Z", 1);
        vector("before", "2018-03-31T23:59:59Z", 1);
        vector("at-end", "2018-05-01T00:00:00Z", 1);
        log.add(
                FeatureVector.newBuilder(log.get(0))
                        .setTransactionId("v2")
                        .setFeatureViewVersions(Map.of("customer_spending", 2))
                        .build());

        TrainingSet set = builder.build(log, labels, FROM, TO, CUTOFF);
        assertThat(transactions(set)).containsExactly("a", "b");
        assertThat(set.features()[1]).containsExactly(12.5f, 2f);
        assertThat(set.customerId(0)).isEqualTo("cust-a");
        assertThat(set.stats()).isEqualTo(new TrainingSetStats(0, 2, 0, 2, 1, 1, 0));
    }

    @Test
    void refusesRowsMissingAFeatureAndImpossibleWindows() {
        log.add(
                FeatureVector.newBuilder()
                        .setTransactionId("broken")
                        .setEventTime(Instant.parse("2018-04-02T00:00:00Z"))
                        .setCustomerId("c")
                        .setTerminalId("t")
                        .setFeatures(Map.of("request:tx_amount", 3.0))
                        .setFeatureViewVersions(Map.of("customer_spending", 1))
                        .build());
        assertThatThrownBy(() -> builder.build(log, labels, FROM, TO, CUTOFF))
                .hasMessageContaining("transaction broken at 2018-04-02T00:00:00Z lacks")
                .hasMessageContaining("customer_spending:nb_tx_1d");
        assertThatThrownBy(() -> builder.build(log, labels, FROM, TO, TO.minusSeconds(1)))
                .hasMessageContaining("is after the label cut-off");
        assertThatThrownBy(() -> builder.build(log, labels, TO, TO, CUTOFF))
                .hasMessageContaining("empty window");
    }

    private void vector(String id, String time, double nbTx) {
        log.add(
                FeatureVector.newBuilder()
                        .setTransactionId(id)
                        .setEventTime(Instant.parse(time))
                        .setCustomerId("cust-" + id)
                        .setTerminalId("term")
                        .setFeatures(
                                Map.of(
                                        "request:tx_amount", 12.5,
                                        "customer_spending:nb_tx_1d", nbTx,
                                        "terminal_risk:risk_1d", 0.0))
                        .setFeatureViewVersions(Map.of("customer_spending", 1, "terminal_risk", 1))
                        .build());
    }

    private void label(String id, String labelTime, boolean fraud) {
        FeatureVector tx =
                log.stream().filter(v -> v.getTransactionId().equals(id)).findFirst().orElseThrow();
        labels.add(
                Label.newBuilder()
                        .setTransactionId(id)
                        .setCustomerId(tx.getCustomerId())
                        .setTerminalId(tx.getTerminalId())
                        .setTxEventTime(tx.getEventTime())
                        .setLabelTime(Instant.parse(labelTime))
                        .setIsFraud(fraud)
                        .setSource(LabelSource.CHARGEBACK)
                        .build());
    }

    private static List<String> transactions(TrainingSet set) {
        return IntStream.range(0, set.size()).mapToObj(set::transactionId).toList();
    }
}
