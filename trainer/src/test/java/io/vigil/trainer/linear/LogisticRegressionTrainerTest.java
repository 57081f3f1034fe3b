package io.vigil.trainer.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.TestSets;
import io.vigil.trainer.dataset.TrainingSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTrainerTest {

    @Test
    void recoversTheCoefficientsThatGeneratedTheData() {
        // y ~ Bernoulli(sigmoid(-1 + 0.8 a - 0.05 b)), b on a scale of hundreds.
        Random random = new Random(3);
        int n = 40_000;
        float[][] x = new float[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = (float) random.nextGaussian();
            x[i][1] = (float) (200 + 30 * random.nextGaussian());
            double z = -1 + 0.8 * x[i][0] - 0.05 * (x[i][1] - 200);
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        LogisticRegressionModel model =
                new LogisticRegressionTrainer(1e-8, false)
                        .fit(TestSets.of(List.of("a:x", "b:y"), x, y));

        assertThat(model.weights()[0]).isCloseTo(0.8, within(0.04));
        assertThat(model.weights()[1]).isCloseTo(-0.05, within(0.003));
        // The standardization is folded into the intercept: -1 + 0.05 * 200 = 9.
        assertThat(model.intercept()).isCloseTo(9, within(0.6));
    }

    @Test
    void balancedWeightsGiveBothClassesTheSameErrorMass() {
        TrainingSet train = SyntheticData.rows(8_000, 5);
        double[] p =
                new LogisticRegressionTrainer(0.001, true).fit(train).predict(train.features());
        // At the optimum the intercept's gradient is 0: sum over frauds of c+ (1 - p) equals the
        // sum over legit rows of c- p, and balanced weights make c+ n+ = c- n-.
        double missedFraud = 0;
        double falseAlarm = 0;
        int frauds = train.frauds();
        for (int i = 0; i < p.length; i++) {
            if (train.labels()[i] == 1) {
                missedFraud += (1 - p[i]) / frauds;
            } else {
                falseAlarm += p[i] / (p.length - frauds);
            }
        }
        assertThat(missedFraud).isCloseTo(falseAlarm, within(1e-6));
        assertThat(frauds).isLessThan(p.length / 5);
    }

    @Test
    void refusesATrainingSetWithOneClass() {
        float[][] x = {{1}, {2}};
        assertThatThrownBy(
                        () ->
                                new LogisticRegressionTrainer(0.1, true)
                                        .fit(TestSets.of(List.of("a:x"), x, new int[] {0, 0})))
                .hasMessageContaining("needs both classes")
                .hasMessageContaining("0 frauds among 2 rows");
        assertThatThrownBy(() -> new LogisticRegressionTrainer(0, true))
                .hasMessageContaining("l2 must be a positive number");
    }
}
