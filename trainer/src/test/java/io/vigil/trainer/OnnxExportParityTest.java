package io.vigil.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.models.ModelMetadata;
import io.vigil.models.TrainingWindow;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.linear.LogisticRegressionTrainer;
import io.vigil.trainer.onnx.OnnxGraphs;
import io.vigil.trainer.xgboost.XGBoostTrainer;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ONNX Runtime, through the scoring path's OnnxScorer, reproduces each trainer's predictions. */
class OnnxExportParityTest {

    private static final TrainingSet TRAIN = SyntheticData.rows(5_000, 1);
    private static final TrainingSet ROWS = SyntheticData.rows(10_000, 2);

    static Stream<Trainer> trainers() {
        return Stream.of(
                new LogisticRegressionTrainer(0.01, true), new XGBoostTrainer(60, 4, 0.3, 1));
    }

    @ParameterizedTest
    @MethodSource("trainers")
    void onnxRuntimeMatchesTheTrainerWithin1e5(Trainer trainer) {
        try (TrainedModel model = trainer.fit(TRAIN);
                OnnxScorer scorer =
                        OnnxScorer.load(draft(model), model.toOnnx(SyntheticData.SIGNATURE))) {
            double[] expected = model.predict(ROWS.features());
            double[] batch = scorer.scoreBatch(ROWS.features());
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(batch[i] - expected[i]));
            }
            assertThat(worst).isLessThan(1e-5);
            for (int i = 0; i < 500; i++) {
                assertThat(Math.abs(scorer.score(ROWS.features()[i]) - expected[i]))
                        .isLessThan(1e-5);
            }
            // A model that learned nothing would pass parity trivially.
            assertThat(stats(expected)).isGreaterThan(0.05);
        }
    }

    private static double stats(double[] p) {
        double min = 1;
        double max = 0;
        for (double v : p) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }

    private static ModelMetadata draft(TrainedModel model) {
        Instant from = Instant.parse("2018-04-01T00:00:00Z");
        Instant to = Instant.parse("2018-05-01T00:00:00Z");
        return ModelMetadata.builder("parity", "1")
                .input(SyntheticData.SIGNATURE)
                .outputName(OnnxGraphs.PROBABILITIES)
                .algorithm(model.algorithm())
                .hyperparameters(model.hyperparameters())
                .trainingWindow(new TrainingWindow(from, to))
                .labelCutoff(to)
                .codeVersion("test")
                .build();
    }
}
