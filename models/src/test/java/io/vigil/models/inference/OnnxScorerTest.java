package io.vigil.models.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vigil.models.InvalidModelException;
import io.vigil.models.ModelMetadata;
import io.vigil.models.TestModels;
import io.vigil.models.TestModels.Output;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnnxScorerTest {

    private static final float[] W = TestModels.defaultWeights();
    private static final float B = -3f;

    @ParameterizedTest
    @EnumSource(
            value = Output.class,
            names = {"PAIRS", "ZIPMAP", "COLUMN"})
    void scoresProbabilityOfFraudWhateverTheOutputLayout(Output output) {
        float[][] rows = randomRows(200, 7);
        try (OnnxScorer scorer =
                OnnxScorer.load(
                        TestModels.draft("m", "1", output), TestModels.logistic(W, B, output))) {
            double[] batch = scorer.scoreBatch(rows);
            for (int i = 0; i < rows.length; i++) {
                double expected = TestModels.sigmoid(W, B, rows[i]);
                assertThat(scorer.score(rows[i])).isCloseTo(expected, within(1e-6));
                assertThat(batch[i]).isCloseTo(expected, within(1e-6));
            }
        }
    }

    @Test
    void growsItsBatchBufferAndReusesTheRowBufferAcrossCalls() {
        float[][] big = randomRows(1_000, 11);
        try (OnnxScorer scorer = load(Output.PAIRS)) {
            double[] first = scorer.scoreBatch(big);
            double[] small = scorer.scoreBatch(Arrays.copyOf(big, 3));
            assertThat(small).containsExactly(Arrays.copyOf(first, 3));
            assertThat(scorer.score(big[5])).isCloseTo(first[5], within(1e-7));
            assertThat(scorer.score(big[6])).isCloseTo(first[6], within(1e-7));
            assertThat(scorer.scoreBatch(new float[0][])).isEmpty();
        }
    }

    @Test
    void refusesRowsOfTheWrongWidthNamingTheFeatures() {
        try (OnnxScorer scorer = load(Output.PAIRS)) {
            assertThatThrownBy(() -> scorer.score(new float[14]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expects 15 features")
                    .hasMessageContaining("request:tx_amount")
                    .hasMessageContaining("got 14");
        }
    }

    @Test
    void refusesBytesOnnxRuntimeCannotLoad() {
        byte[] corrupt = Arrays.copyOf(TestModels.defaultOnnx(), 40);
        assertThatThrownBy(() -> OnnxScorer.load(TestModels.draft("m", "1", Output.PAIRS), corrupt))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model m 1: ONNX Runtime cannot load the model");
    }

    @Test
    void refusesAnInputWidthThatDiffersFromTheMetadata() {
        byte[] narrow = TestModels.logistic(Arrays.copyOf(W, 14), B, Output.PAIRS);
        assertThatThrownBy(() -> OnnxScorer.load(TestModels.draft("m", "1", Output.PAIRS), narrow))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("has 14 columns, the metadata lists 15 features");
    }

    @Test
    void refusesAnInputNameThatDiffersFromTheMetadata() {
        ModelMetadata draft = TestModels.draft("m", "1", Output.PAIRS);
        ModelMetadata renamed =
                ModelMetadata.builder("m", "1")
                        .input(
                                new io.vigil.models.InputSignature(
                                        "features",
                                        draft.input().features(),
                                        draft.input().featureViewVersions()))
                        .outputName(draft.outputName())
                        .algorithm(draft.algorithm())
                        .trainingWindow(draft.trainingWindow())
                        .labelCutoff(draft.labelCutoff())
                        .codeVersion(draft.codeVersion())
                        .build();
        assertThatThrownBy(() -> OnnxScorer.load(renamed, TestModels.defaultOnnx()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("the model's inputs are [float_input]")
                .hasMessageContaining("'features'");
    }

    @Test
    void refusesAnOutputTheModelDoesNotHave() {
        assertThatThrownBy(
                        () ->
                                OnnxScorer.load(
                                        TestModels.draft("m", "1", Output.ZIPMAP),
                                        TestModels.defaultOnnx()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("no output 'output_probability'")
                .hasMessageContaining("probabilities");
    }

    @Test
    void refusesAnOutputThatIsNotAProbability() {
        ModelMetadata labelOutput = TestModels.draft("m", "1", Output.PAIRS);
        byte[] onnx = TestModels.logistic(W, 3f, Output.LOGIT);
        assertThatThrownBy(() -> OnnxScorer.load(TestModels.draft("m", "1", Output.LOGIT), onnx))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("is not a probability: 3.0");
        // The predicted label is an int64 tensor: not a probability layout at all.
        assertThatThrownBy(
                        () ->
                                OnnxScorer.load(
                                        ModelMetadata.builder("m", "1")
                                                .input(labelOutput.input())
                                                .outputName("label")
                                                .algorithm("x")
                                                .trainingWindow(labelOutput.trainingWindow())
                                                .labelCutoff(labelOutput.labelCutoff())
                                                .codeVersion("c")
                                                .build(),
                                        TestModels.defaultOnnx()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("output 'label' is");
    }

    @Test
    void cannotScoreOnceClosed() {
        OnnxScorer scorer = load(Output.PAIRS);
        scorer.close();
        scorer.close();
        assertThatThrownBy(() -> scorer.score(new float[15]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static OnnxScorer load(Output output) {
        return OnnxScorer.load(
                TestModels.draft("m", "1", output), TestModels.logistic(W, B, output));
    }

    static float[][] randomRows(int n, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][15];
        for (float[] row : rows) {
            row[0] = (float) (random.nextDouble() * 300);
            row[1] = random.nextInt(2);
            row[2] = random.nextInt(2);
            for (int j = 3; j < 15; j++) {
                row[j] = (float) (random.nextDouble() * (j % 2 == 1 ? 40 : 1));
            }
        }
        return rows;
    }
}
