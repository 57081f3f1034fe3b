package io.vigil.trainer;

import io.vigil.trainer.linear.LogisticRegressionTrainer;
import io.vigil.trainer.xgboost.XGBoostTrainer;
import java.util.ArrayList;
import java.util.List;

/** Default hyperparameter grids, small enough to search on two cores in minutes. */
public final class Candidates {

    private Candidates() {}

    /** Balanced logistic regression over four L2 strengths. */
    public static List<Trainer> logisticRegression() {
        List<Trainer> trainers = new ArrayList<>();
        for (double l2 : new double[] {1e-4, 1e-3, 1e-2, 1e-1}) {
            trainers.add(new LogisticRegressionTrainer(l2, true));
        }
        return trainers;
    }

    /** 100 rounds of depth 3 or 6 trees at learning rate 0.1 or 0.3. */
    public static List<Trainer> xgboost() {
        List<Trainer> trainers = new ArrayList<>();
        for (int depth : new int[] {3, 6}) {
            for (double eta : new double[] {0.1, 0.3}) {
                trainers.add(new XGBoostTrainer(100, depth, eta, 1));
            }
        }
        return trainers;
    }

    public static List<Trainer> all() {
        List<Trainer> trainers = new ArrayList<>(logisticRegression());
        trainers.addAll(xgboost());
        return trainers;
    }
}
