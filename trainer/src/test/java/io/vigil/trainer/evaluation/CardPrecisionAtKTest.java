package io.vigil.trainer.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import io.vigil.trainer.TestSets;
import io.vigil.trainer.dataset.TrainingSet;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CardPrecisionAtKTest {

    private static final Instant DAY1 = Instant.parse("2018-04-01T00:00:00Z");
    private static final Instant DAY2 = Instant.parse("2018-04-02T00:00:00Z");

    // Day 1: c1 0.9 fraud + 0.2 legit, c2 0.8 legit, c3 0.7 fraud, c4 0.1 fraud.
    // Day 2: c1 0.95 fraud, c4 0.9 fraud, c3 0.6 fraud, c5 0.5 legit, c6 0.3 fraud.
    private static final TrainingSet ROWS =
            TestSets.of(
                    new Instant[] {
                        DAY1.plusSeconds(10),
                        DAY1.plusSeconds(20),
                        DAY1.plusSeconds(30),
                        DAY1.plusSeconds(40),
                        DAY1.plusSeconds(50),
                        DAY2.plusSeconds(10),
                        DAY2.plusSeconds(20),
                        DAY2.plusSeconds(30),
                        DAY2.plusSeconds(40),
                        DAY2.plusSeconds(86_399)
                    },
                    new String[] {"c1", "c1", "c2", "c3", "c4", "c1", "c4", "c3", "c5", "c6"},
                    new int[] {1, 0, 0, 1, 1, 1, 1, 1, 0, 1});
    private static final double[] SCORES = {0.9, 0.2, 0.8, 0.7, 0.1, 0.95, 0.9, 0.6, 0.5, 0.3};

    @Test
    void removesCardsFoundOnEarlierDaysAndCardsWithKnownFraud() {
        // c4's fraud label arrived one second before day 2.
        CardPrecisionAtK.Result result =
                CardPrecisionAtK.compute(ROWS, SCORES, 2, Map.of("c4", DAY2.minusSeconds(1)));

        // Day 1 top 2: c1 (0.9, compromised), c2 (0.8, legit) -> 1/2; c1 is now found.
        // Day 2 without c1 (found) and c4 (known): c3 0.6 fraud, c5 0.5 legit -> 1/2.
        assertThat(result.days())
                .containsExactly(
                        new CardPrecisionAtK.Day(LocalDate.parse("2018-04-01"), 0.5, 3),
                        new CardPrecisionAtK.Day(LocalDate.parse("2018-04-02"), 0.5, 2));
        assertThat(result.mean()).isEqualTo(0.5);
    }

    @Test
    void withoutKnownLabelsOnlyTheHandbooksRuleApplies() {
        // Day 2 without c1: c4 0.9 fraud, c3 0.6 fraud -> 2/2.
        CardPrecisionAtK.Result result = CardPrecisionAtK.compute(ROWS, SCORES, 2, Map.of());
        assertThat(result.days())
                .extracting(CardPrecisionAtK.Day::precision)
                .containsExactly(0.5, 1.0);
        assertThat(result.mean()).isEqualTo(0.75);
    }

    @Test
    void aLabelKnownDuringTheDayDoesNotRemoveTheCardThatDay() {
        CardPrecisionAtK.Result result =
                CardPrecisionAtK.compute(ROWS, SCORES, 2, Map.of("c4", DAY2.plusSeconds(5)));
        assertThat(result.days().get(1).precision()).isEqualTo(1.0);
    }

    @Test
    void dividesByKEvenWhenFewerCardsAreLeft() {
        CardPrecisionAtK.Result result = CardPrecisionAtK.compute(ROWS, SCORES, 10, Map.of());
        // Day 1: all 4 cards checked, 3 compromised and now found. Day 2: only c5 (legit) and c6
        // (fraud) are left.
        assertThat(result.days())
                .extracting(CardPrecisionAtK.Day::precision)
                .containsExactly(0.3, 0.1);
    }

    @Test
    void fraudKnownAtIsTheFirstFraudLabelPerCustomer() {
        List<Label> labels =
                List.of(label("c1", DAY2, true), label("c1", DAY1, true), label("c2", DAY1, false));
        assertThat(CardPrecisionAtK.fraudKnownAt(labels)).isEqualTo(Map.of("c1", DAY1));
    }

    private static Label label(String customer, Instant at, boolean fraud) {
        return Label.newBuilder()
                .setTransactionId("t-" + customer + at)
                .setCustomerId(customer)
                .setTerminalId("x")
                .setTxEventTime(at.minusSeconds(3_600))
                .setLabelTime(at)
                .setIsFraud(fraud)
                .setSource(LabelSource.ANALYST)
                .build();
    }
}
