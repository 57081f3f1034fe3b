package io.vigil.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.DecisionOutcome;
import org.junit.jupiter.api.Test;

class DecisionBandsTest {

    @Test
    void lowerBoundsBelongToTheHigherBand() {
        DecisionBands bands = new DecisionBands(0.3, 0.8);
        assertThat(bands.band(0.0)).isEqualTo("approve");
        assertThat(bands.band(Math.nextDown(0.3))).isEqualTo("approve");
        assertThat(bands.band(0.3)).isEqualTo("review");
        assertThat(bands.band(Math.nextDown(0.8))).isEqualTo("review");
        assertThat(bands.band(0.8)).isEqualTo("decline");
        assertThat(bands.band(1.0)).isEqualTo("decline");
        assertThat(bands.outcome(0.29)).isEqualTo(DecisionOutcome.APPROVE);
        assertThat(bands.outcome(0.5)).isEqualTo(DecisionOutcome.REVIEW);
        assertThat(bands.outcome(0.95)).isEqualTo(DecisionOutcome.DECLINE);
    }

    @Test
    void theDefaultReviewsFromOneHalfAndDeclinesFromNineTenths() {
        assertThat(DecisionBands.DEFAULT).isEqualTo(new DecisionBands(0.5, 0.9));
        assertThat(DecisionBands.DEFAULT.band(0.49)).isEqualTo(DecisionBands.APPROVE);
        assertThat(DecisionBands.DEFAULT.band(0.5)).isEqualTo(DecisionBands.REVIEW);
        assertThat(DecisionBands.DEFAULT.band(0.9)).isEqualTo(DecisionBands.DECLINE);
    }

    @Test
    void equalBoundsLeaveNoReviewBandAndTheExtremesAreAllowed() {
        DecisionBands noReview = new DecisionBands(0.7, 0.7);
        assertThat(noReview.band(Math.nextDown(0.7))).isEqualTo("approve");
        assertThat(noReview.band(0.7)).isEqualTo("decline");
        DecisionBands reviewEverything = new DecisionBands(0, 1);
        assertThat(reviewEverything.band(0)).isEqualTo("review");
        assertThat(reviewEverything.band(Math.nextDown(1.0))).isEqualTo("review");
        assertThat(reviewEverything.band(1)).isEqualTo("decline");
    }

    @Test
    void refusesBoundsOutOfOrderOrOutsideZeroToOne() {
        for (double[] bad :
                new double[][] {
                    {0.9, 0.5}, {-0.1, 0.5}, {0.5, 1.1}, {Double.NaN, 0.9}, {0.5, Double.NaN}
                }) {
            assertThatThrownBy(() -> new DecisionBands(bad[0], bad[1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0 <= review_from <= decline_from <= 1")
                    .hasMessageContaining("review_from " + bad[0] + ", decline_from " + bad[1]);
        }
    }

    @Test
    void refusesAScoreThatIsNotAProbability() {
        for (double bad : new double[] {Double.NaN, -0.01, 1.5, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> DecisionBands.DEFAULT.band(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be a probability in [0, 1], got " + bad);
        }
    }
}
