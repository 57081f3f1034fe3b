package io.vigil.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handbook's test set: cards known compromised on their day are left out. */
class FeaturesLogSliceTest {

    private static final Instant TRAIN_FROM = Instant.parse("2018-07-25T00:00:00Z");
    private static final Instant TEST_FROM = Instant.parse("2018-08-08T00:00:00Z");
    private static final Instant TEST_TO = Instant.parse("2018-08-15T00:00:00Z");
    private static final Duration DELAY = Duration.ofDays(7);

    @Test
    void leavesOutCardsWithAFraudReportedBeforeTheirDaySinceTheTrainingStart() {
        List<FeatureVector> rows =
                List.of(
                        row("1", "known", "2018-08-08T10:00:00Z"),
                        row("2", "reportedLater", "2018-08-08T10:00:00Z"),
                        row("3", "reportedLater", "2018-08-10T10:00:00Z"),
                        row("4", "beforeTraining", "2018-08-08T10:00:00Z"),
                        row("5", "clean", "2018-08-09T10:00:00Z"));
        List<Label> labels =
                List.of(
                        // tx 07-30, reported 08-06: known before 08-08 starts.
                        fraud("k", "known", "2018-07-30T12:00:00Z"),
                        // tx 08-01 12:00, reported 08-08 12:00: not known on 08-08, known on 08-10.
                        fraud("r", "reportedLater", "2018-08-01T12:00:00Z"),
                        // Before the training period: the handbook does not know it.
                        fraud("b", "beforeTraining", "2018-07-01T12:00:00Z"));
        FeaturesTopicReader.Summary read = new FeaturesTopicReader.Summary("t", 5, 0);
        FeaturesLogSlice slice = new FeaturesLogSlice(TEST_FROM, TEST_TO, rows, labels, read, read);

        FeaturesLogSlice handbook = slice.withoutKnownCompromisedCards(TRAIN_FROM);

        assertThat(handbook.rows())
                .extracting(FeatureVector::getTransactionId)
                .containsExactly("2", "4", "5");
        assertThat(handbook.labels()).extracting(Label::getTransactionId).containsExactly("k", "r");
        assertThat(slice.rows()).hasSize(5);
    }

    private static FeatureVector row(String id, String customer, String time) {
        return FeatureVector.newBuilder()
                .setTransactionId(id)
                .setEventTime(Instant.parse(time))
                .setCustomerId(customer)
                .setTerminalId("t")
                .setFeatures(Map.of())
                .setFeatureViewVersions(Map.of())
                .build();
    }

    private static Label fraud(String id, String customer, String txTime) {
        Instant t = Instant.parse(txTime);
        return Label.newBuilder()
                .setTransactionId(id)
                .setCustomerId(customer)
                .setTerminalId("t")
                .setTxEventTime(t)
                .setLabelTime(t.plus(DELAY))
                .setIsFraud(true)
                .setSource(LabelSource.SIMULATOR)
                .build();
    }
}
