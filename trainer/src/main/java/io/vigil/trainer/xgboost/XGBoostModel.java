package io.vigil.trainer.xgboost;

import io.vigil.models.InputSignature;
import io.vigil.trainer.TrainedModel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** A trained XGBoost booster; predictions come from XGBoost itself, the export from its dump. */
public final class XGBoostModel implements TrainedModel {

    public static final String ALGORITHM = "xgboost";

    private final Booster booster;
    private final int width;
    private final Map<String, String> hyperparameters;

    XGBoostModel(Booster booster, int width, Map<String, String> hyperparameters) {
        this.booster = booster;
        this.width = width;
        this.hyperparameters = Map.copyOf(hyperparameters);
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
        if (rows.length == 0) {
            return new double[0];
        }
        DMatrix matrix = null;
        try {
            matrix = matrix(rows, width);
            float[][] predictions = booster.predict(matrix);
            double[] p = new double[rows.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = predictions[i][0];
            }
            return p;
        } catch (XGBoostError e) {
            throw new IllegalStateException("xgboost prediction failed: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    @Override
    public byte[] toOnnx(InputSignature signature) {
        if (signature.width() != width) {
            throw new IllegalArgumentException(
                    "signature has " + signature.width() + " features, the model " + width);
        }
        try {
            String[] trees = booster.getModelDump((String) null, false, "json");
            String model = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
            return XGBoostOnnxConverter.convert(trees, model, signature);
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot dump the xgboost model: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        booster.dispose();
    }

    /** Rows as a dense XGBoost matrix; NaN would mean missing (Vigil's features never are). */
    static DMatrix matrix(float[][] rows, int width) throws XGBoostError {
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + rows[i].length + " features, expected " + width);
            }
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return new DMatrix(flat, rows.length, width, Float.NaN);
    }
}
