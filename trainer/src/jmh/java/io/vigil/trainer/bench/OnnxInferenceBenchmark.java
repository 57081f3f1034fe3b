package io.vigil.trainer.bench;

import io.vigil.models.inference.OnnxScorer;
import io.vigil.trainer.SyntheticData;
import io.vigil.trainer.TrainedModel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inference latency of Vigil's Java-trained models in ONNX Runtime through {@link OnnxScorer}, the
 * scoring job's code path: one row (the per-transaction case) and a batch of 64 rows. Sample-time
 * mode reports percentiles (p0.50, p0.99, ...) per model.
 *
 * <p>The models are trained in the setup on {@link BenchData#week()}, exactly as the training
 * benchmark trains them; rows cycle through 4,096 synthetic rows so tree paths vary as in
 * production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OnnxInferenceBenchmark {

    private static final int ROWS = 4_096;
    private static final int BATCH = 64;

    @Param({"logistic_regression", "xgboost"})
    public String algorithm;

    private OnnxScorer scorer;
    private float[][] rows;
    private float[][][] batches;
    private int next;

    @Setup(Level.Trial)
    public void trainAndLoad() {
        try (TrainedModel model = BenchData.trainer(algorithm).fit(BenchData.week())) {
            scorer =
                    OnnxScorer.load(
                            BenchData.draft(algorithm), model.toOnnx(SyntheticData.SIGNATURE));
        }
        rows = SyntheticData.rows(ROWS, BenchData.SEED + 1).features();
        batches = new float[ROWS / BATCH][][];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = Arrays.copyOfRange(rows, b * BATCH, (b + 1) * BATCH);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        scorer.close();
    }

    @Benchmark
    public double singleRow() {
        next = (next + 1) & (ROWS - 1);
        return scorer.score(rows[next]);
    }

    @Benchmark
    public double[] batchOf64() {
        next = (next + 1) % batches.length;
        return scorer.scoreBatch(batches[next]);
    }
}
