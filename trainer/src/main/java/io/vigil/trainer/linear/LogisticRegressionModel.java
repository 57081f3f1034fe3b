package io.vigil.trainer.linear;

import io.vigil.models.InputSignature;
import io.vigil.trainer.TrainedModel;
import io.vigil.trainer.onnx.OnnxGraphs;
import java.util.List;
import java.util.Map;

/**
 * P(fraud) = sigmoid(w · x + b) on raw feature values.
 *
 * <p>Exported as an ONNX {@code LinearClassifier} with one coefficient row per class, {@code (-w,
 * -b)} and {@code (w, b)}, and the LOGISTIC post-transform: the two outputs are sigmoid(-z) and
 * sigmoid(z), i.e. P(legit) and P(fraud), which add up to 1.
 */
public final class LogisticRegressionModel implements TrainedModel {

    public static final String ALGORITHM = "logistic_regression";

    private final double[] weights;
    private final double intercept;
    private final Map<String, String> hyperparameters;

    public LogisticRegressionModel(
            double[] weights, double intercept, Map<String, String> hyperparameters) {
        this.weights = weights.clone();
        this.intercept = intercept;
        this.hyperparameters = Map.copyOf(hyperparameters);
    }

    public double[] weights() {
        return weights.clone();
    }

    public double intercept() {
        return intercept;
    }

    @Override
    public String algorithm() {
        return ALGORITHM;
    }

    @Override
    public Map<String, String> hyperparameters() {
        return hyperparameters;
    }

    @Override
    public double[] predict(float[][] rows) {
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != weights.length) {
                throw new IllegalArgumentException(
                        "row "
                                + i
                                + " has "
                                + rows[i].length
                                + " features, expected "
                                + weights.length);
            }
            double z = intercept;
            for (int j = 0; j < weights.length; j++) {
                z += weights[j] * rows[i][j];
            }
            p[i] = LogisticRegressionTrainer.sigmoid(z);
        }
        return p;
    }

    @Override
    public byte[] toOnnx(InputSignature signature) {
        if (signature.width() != weights.length) {
            throw new IllegalArgumentException(
                    "signature has "
                            + signature.width()
                            + " features, the model "
                            + weights.length);
        }
        int d = weights.length;
        float[] coefficients = new float[2 * d];
        for (int j = 0; j < d; j++) {
            coefficients[j] = (float) -weights[j];
            coefficients[d + j] = (float) weights[j];
        }
        return OnnxGraphs.classifier(
                "LinearClassifier",
                List.of(
                        OnnxGraphs.floats("coefficients", coefficients),
                        OnnxGraphs.floats(
                                "intercepts", new float[] {(float) -intercept, (float) intercept}),
                        OnnxGraphs.ints("classlabels_ints", new long[] {0, 1}),
                        OnnxGraphs.string("post_transform", "LOGISTIC")),
                signature);
    }
}
