package io.vigil.trainer.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.models.ModelMetadata;
import io.vigil.models.TrainingWindow;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.onnx.OnnxGraphs;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class XGBoostOnnxConverterTest {

    @Test
    void missingValuesTakeXGBoostsDefaultBranch() {
        TrainingSet train = SyntheticData.rows(3_000, 8);
        float[][] rows = SyntheticData.rows(2_000, 9).features();
        for (int i = 0; i < rows.length; i += 3) {
            rows[i][i % 15] = Float.NaN;
            rows[i][10] = Float.NaN;
        }
        try (XGBoostModel model = new XGBoostTrainer(30, 5, 0.3, 1).fit(train);
                OnnxScorer scorer =
                        OnnxScorer.load(
                                draft(model.algorithm()), model.toOnnx(SyntheticData.SIGNATURE))) {
            double[] expected = model.predict(rows);
            double[] actual = scorer.scoreBatch(rows);
            for (int i = 0; i < rows.length; i++) {
                assertThat(Math.abs(actual[i] - expected[i])).isLessThan(1e-5);
            }
        }
    }

    @Test
    void readsTheBaseScoreInBothNotations() {
        String old =
                "{\"learner\":{\"objective\":{\"name\":\"binary:logistic\"},"
                        + "\"learner_model_param\":{\"base_score\":\"5E-1\"}}}";
        String vector =
                "{\"learner\":{\"objective\":{\"name\":\"binary:logistic\"},"
                        + "\"learner_model_param\":{\"base_score\":\"[2E-1]\"}}}";
        assertThat(XGBoostOnnxConverter.baseMargin(old)).isEqualTo(0f);
        assertThat(XGBoostOnnxConverter.baseMargin(vector))
                .isEqualTo((float) Math.log(0.2f / (1 - 0.2f)));
        assertThatThrownBy(
                        () ->
                                XGBoostOnnxConverter.baseMargin(
                                        old.replace("binary:logistic", "reg:squarederror")))
                .hasMessageContaining("only binary:logistic models convert");
    }

    private static ModelMetadata draft(String algorithm) {
        Instant to = Instant.parse("2018-05-01T00:00:00Z");
        return ModelMetadata.builder("xgb", "1")
                .input(SyntheticData.SIGNATURE)
                .outputName(OnnxGraphs.PROBABILITIES)
                .algorithm(algorithm)
                .trainingWindow(new TrainingWindow(to.minusSeconds(86_400), to))
                .labelCutoff(to)
                .codeVersion("test")
                .build();
    }
}
