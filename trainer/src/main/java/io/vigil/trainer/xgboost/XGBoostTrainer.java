package io.vigil.trainer.xgboost;

import io.vigil.trainer.Trainer;
import io.vigil.trainer.dataset.TrainingSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees with XGBoost4J ({@code binary:logistic}, histogram method). Frauds are
 * up-weighted by {@code scale_pos_weight} = legitimate / fraud rows of the training set. Fixed seed
 * and thread count make a fit repeatable.
 */
public final class XGBoostTrainer implements Trainer {

    private final int rounds;
    private final int maxDepth;
    private final double eta;
    private final double minChildWeight;

    public XGBoostTrainer(int rounds, int maxDepth, double eta, double minChildWeight) {
        if (rounds < 1 || maxDepth < 1 || !(eta > 0 && eta <= 1) || !(minChildWeight >= 0)) {
            throw new IllegalArgumentException(
                    "xgboost needs rounds >= 1, max_depth >= 1, eta in (0, 1], min_child_weight"
                            + " >= 0; got "
                            + rounds
                            + ", "
                            + maxDepth
                            + ", "
                            + eta
                            + ", "
                            + minChildWeight);
        }
        this.rounds = rounds;
        this.maxDepth = maxDepth;
        this.eta = eta;
        this.minChildWeight = minChildWeight;
    }

    @Override
    public String algorithm() {
        return XGBoostModel.ALGORITHM;
    }

    @Override
    public Map<String, String> hyperparameters() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("rounds", Integer.toString(rounds));
        params.put("max_depth", Integer.toString(maxDepth));
        params.put("eta", Double.toString(eta));
        params.put("min_child_weight", Double.toString(minChildWeight));
        params.put("scale_pos_weight", "legitimate/fraud");
        return params;
    }

    @Override
    public XGBoostModel fit(TrainingSet train) {
        int frauds = train.frauds();
        if (frauds == 0 || frauds == train.size()) {
            throw new IllegalArgumentException(
                    "xgboost needs both classes; the training set has "
                            + frauds
                            + " frauds among "
                            + train.size()
                            + " rows");
        }
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("tree_method", "hist");
        params.put("max_depth", maxDepth);
        params.put("eta", eta);
        params.put("min_child_weight", minChildWeight);
        params.put("scale_pos_weight", (double) (train.size() - frauds) / frauds);
        params.put("seed", 0);
        params.put("nthread", 2);
        params.put("verbosity", 0);
        DMatrix matrix = null;
        try {
            matrix = XGBoostModel.matrix(train.features(), train.width());
            float[] labels = new float[train.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = train.labels()[i];
            }
            matrix.setLabel(labels);
            Booster booster = XGBoost.train(matrix, params, rounds, Map.of(), null, null);
            return new XGBoostModel(booster, train.width(), hyperparameters());
        } catch (XGBoostError e) {
            throw new IllegalStateException("xgboost training failed: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }
}
