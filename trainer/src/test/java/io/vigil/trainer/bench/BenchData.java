package io.vigil.trainer.bench;

import io.vigil.models.ModelMetadata;
import io.vigil.models.TrainingWindow;
import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.TrainedModel;
import io.vigil.trainer.Trainer;
import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.linear.LogisticRegressionModel;
import io.vigil.trainer.linear.LogisticRegressionTrainer;
import io.vigil.trainer.onnx.OnnxGraphs;
import io.vigil.trainer.xgboost.XGBoostModel;
import io.vigil.trainer.xgboost.XGBoostTrainer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the model benchmarks train and score: a synthetic week shaped like the handbook's (about 10k
 * transactions a day, 0.8 % fraud, the 15 v1 features) and the two Java trainers with the heaviest
 * settings of their default grids ({@link io.vigil.trainer.Candidates}).
 */
public final class BenchData {

    public static final int WEEK_ROWS = 70_000;
    public static final double FRAUD_SHARE = 0.008;
    public static final long SEED = 42;

    private static final Instant WEEK_START = Instant.parse("2018-04-01T00:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);

    private BenchData() {}

    /**
     * The trainer benchmarked for {@code algorithm} ({@code logistic_regression} or {@code
     * xgboost}).
     */
    public static Trainer trainer(String algorithm) {
        return switch (algorithm) {
            case LogisticRegressionModel.ALGORITHM -> new LogisticRegressionTrainer(1e-4, true);
            case XGBoostModel.ALGORITHM -> new XGBoostTrainer(100, 6, 0.3, 1);
            default ->
                    throw new IllegalArgumentException(
                            "no benchmark trainer for '"
                                    + algorithm
                                    + "'; known: logistic_regression, xgboost");
        };
    }

    public static List<String> algorithms() {
        return List.of(LogisticRegressionModel.ALGORITHM, XGBoostModel.ALGORITHM);
    }

    /**
     * {@code rows} transactions spread evenly over a week, {@code fraudShare} of them fraud: {@link
     * SyntheticData}'s rows (about 5 % fraud) in their order, with frauds thinned to the share.
     */
    public static TrainingSet week(int rows, double fraudShare, long seed) {
        int frauds = (int) Math.round(rows * fraudShare);
        TrainingSet source = SyntheticData.rows(2 * rows, seed);
        List<Integer> kept = new ArrayList<>(rows);
        int keptFrauds = 0;
        int keptLegit = 0;
        for (int i = 0; i < source.size() && kept.size() < rows; i++) {
            boolean fraud = source.labels()[i] == 1;
            if (fraud ? keptFrauds < frauds : keptLegit < rows - frauds) {
                kept.add(i);
                keptFrauds += fraud ? 1 : 0;
                keptLegit += fraud ? 0 : 1;
            }
        }
        if (keptFrauds < frauds || keptLegit < rows - frauds) {
            throw new IllegalStateException(
                    "synthetic source too small for "
                            + rows
                            + " rows with "
                            + frauds
                            + " frauds: found "
                            + keptLegit
                            + " legitimate and "
                            + keptFrauds
                            + " fraud rows");
        }
        float[][] x = new float[rows][];
        int[] y = new int[rows];
        Instant[] times = new Instant[rows];
        String[] customers = new String[rows];
        String[] transactions = new String[rows];
        long stepNanos = WEEK.toNanos() / rows;
        for (int r = 0; r < rows; r++) {
            int i = kept.get(r);
            x[r] = source.features()[i];
            y[r] = source.labels()[i];
            times[r] = WEEK_START.plusNanos(r * stepNanos);
            customers[r] = source.customerId(i);
            transactions[r] = source.transactionId(i);
        }
        return new TrainingSet(
                source.featureNames(), x, y, times, customers, transactions, source.stats());
    }

    /** One small fit and export per trainer: loads XGBoost's native library and warms the JIT. */
    public static void warmUp() {
        TrainingSet small = week(5_000, 0.02, SEED + 1);
        for (String algorithm : algorithms()) {
            try (TrainedModel model = trainer(algorithm).fit(small)) {
                model.toOnnx(SyntheticData.SIGNATURE);
            }
        }
    }

    /** The default synthetic week ({@value #WEEK_ROWS} rows, 0.8 % fraud, seed {@value #SEED}). */
    public static TrainingSet week() {
        return week(WEEK_ROWS, FRAUD_SHARE, SEED);
    }

    /**
     * Draft metadata to load a benchmark model into {@link io.vigil.models.inference.OnnxScorer}.
     */
    public static ModelMetadata draft(String algorithm) {
        return ModelMetadata.builder("bench-" + algorithm.replace('_', '-'), "1")
                .input(SyntheticData.SIGNATURE)
                .outputName(OnnxGraphs.PROBABILITIES)
                .algorithm(algorithm)
                .trainingWindow(new TrainingWindow(WEEK_START, WEEK_START.plus(WEEK)))
                .labelCutoff(WEEK_START.plus(WEEK))
                .codeVersion("bench")
                .build();
    }
}
