package io.vigil.trainer;

import io.vigil.models.InputSignature;
import java.util.Map;

/**
 * A fitted fraud classifier: its own predictions and its ONNX export, which must agree (the parity
 * tests hold them to 1e-5). Closing frees native memory some trainers hold.
 */
public interface TrainedModel extends AutoCloseable {

    /** e.g. {@code logistic_regression}, {@code xgboost}; recorded in the model's metadata. */
    String algorithm();

    Map<String, String> hyperparameters();

    /** P(fraud) of each row, computed by the trainer itself. */
    double[] predict(float[][] rows);

    /**
     * The model as ONNX: one float input {@code [N, width]} named by {@code signature}, output
     * {@link io.vigil.trainer.onnx.OnnxGraphs#PROBABILITIES} {@code [N, 2]} = (P(legit), P(fraud)).
     */
    byte[] toOnnx(InputSignature signature);

    @Override
    default void close() {}
}
