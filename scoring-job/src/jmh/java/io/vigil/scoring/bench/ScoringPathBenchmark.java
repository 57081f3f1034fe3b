package io.vigil.scoring.bench;

import io.vigil.features.FeatureDefinitions;
import io.vigil.models.ModelArtifact;
import io.vigil.models.ModelMetadata;
import io.vigil.models.TestModels;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.DecisionOutcome;
import io.vigil.schemas.FeatureValue;
import io.vigil.schemas.LatencyBreakdown;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.history.WindowHistoryCodec;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.scoring.features.ExactFeatureVector;
import io.vigil.scoring.models.LoadedModel;
import io.vigil.scoring.records.TerminalFraudLabels;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scoring job's per-transaction CPU path after the Redis round trip: decode both history
 * snapshots, build the exact vector (recent transactions and labels folded in), score champion and
 * challenger. {@code singleTransaction} is what the job does; {@code batchOf64} builds 64 vectors
 * and scores them with one batched inference per model, the alternative the job does not take (a
 * batch would make each transaction wait for the next ones); {@code encodeDecision} is the Avro
 * encoding of the decision record the job then sends (both scores, the 15 features with their ages,
 * the latency breakdown). Sample-time mode reports percentiles.
 *
 * <p>Histories are the size of a busy handbook entity: 90 customer buckets over 30 days, 60
 * terminal buckets over 37 days, 3 received labels. Both models are 15-input logistic ONNX models
 * (LinearClassifier with tensor and ZipMap outputs); tree ensembles cost a few microseconds more
 * (bench/models.sh).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScoringPathBenchmark {

    private static final int CASES = 256;
    private static final int BATCH = 64;
    private static final long DAY = FeatureDefinitions.DAY_MILLIS;
    private static final long T = 1_700_000_000_000L;

    private byte[][] customerBytes;
    private byte[][] terminalBytes;
    private long[] times;
    private long[] amounts;
    private TerminalFraudLabels labels;
    private LoadedModel champion;
    private LoadedModel challenger;
    private OnnxScorer championBatch;
    private OnnxScorer challengerBatch;
    private int[] championColumns;
    private int[] challengerColumns;
    private int next;
    private AvroSerde<Decision> decisions;
    private Decision decision;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Random random = new Random(1);
        customerBytes = new byte[CASES][];
        terminalBytes = new byte[CASES][];
        times = new long[CASES];
        amounts = new long[CASES];
        for (int i = 0; i < CASES; i++) {
            times[i] = T + i * 1_000L;
            amounts[i] = 1_000 + random.nextInt(20_000);
            customerBytes[i] =
                    WindowHistoryCodec.encode(
                            history(random, times[i] - 1_000, 90, 30 * DAY, false));
            terminalBytes[i] =
                    WindowHistoryCodec.encode(
                            history(random, times[i] - 60_000, 60, 37 * DAY, true));
        }
        labels = new TerminalFraudLabels();
        for (int i = 0; i < 3; i++) {
            labels.add("f" + i, T - 7 * DAY - i * DAY, T - 500, 0);
        }
        ModelArtifact a = artifact("v1", TestModels.Output.PAIRS);
        ModelArtifact b = artifact("v2", TestModels.Output.ZIPMAP);
        champion = LoadedModel.load(a);
        challenger = LoadedModel.load(b);
        championBatch = OnnxScorer.load(a);
        challengerBatch = OnnxScorer.load(b);
        championColumns = columns(a.metadata());
        challengerColumns = columns(b.metadata());
        decisions = AvroSerde.of(Decision.class);
        decision = decision(vector(0), champion.score(vector(0)), challenger.score(vector(0)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        champion.close();
        challenger.close();
        championBatch.close();
        challengerBatch.close();
    }

    @Benchmark
    public double singleTransaction() {
        next = (next + 1) % CASES;
        double[] vector = vector(next);
        return champion.score(vector) + challenger.score(vector);
    }

    @Benchmark
    public double[] batchOf64() {
        float[][] championRows = new float[BATCH][];
        float[][] challengerRows = new float[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            next = (next + 1) % CASES;
            double[] vector = vector(next);
            championRows[i] = select(vector, championColumns);
            challengerRows[i] = select(vector, challengerColumns);
        }
        double[] scores = championBatch.scoreBatch(championRows);
        double[] other = challengerBatch.scoreBatch(challengerRows);
        scores[0] += other[0];
        return scores;
    }

    @Benchmark
    public byte[] encodeDecision() {
        return decisions.serialize(decision);
    }

    private static Decision decision(
            double[] vector, double championScore, double challengerScore) {
        List<FeatureValue> features = new ArrayList<>();
        for (int f = 0; f < vector.length; f++) {
            features.add(
                    FeatureValue.newBuilder()
                            .setName(ExactFeatureVector.NAMES.get(f))
                            .setValue(vector[f])
                            .setAgeMs(f < 3 ? null : 1_250L)
                            .build());
        }
        return Decision.newBuilder()
                .setTransactionId("benchm3k9x1-e2e0-123456")
                .setEventTime(Instant.ofEpochMilli(T))
                .setCustomerId("4711")
                .setDecision(DecisionOutcome.APPROVE)
                .setBand("approve")
                .setDecidedBy(ModelRole.CHAMPION)
                .setChampion(score("v1", championScore))
                .setChallenger(score("v2", challengerScore))
                .setChallengerMode(ChallengerMode.SHADOW)
                .setFeatures(features)
                .setFallbackReason(null)
                .setLatency(
                        LatencyBreakdown.newBuilder()
                                .setQueueMicros(2_000)
                                .setLookupMicros(400)
                                .setInferenceMicros(60)
                                .setTotalMicros(3_100)
                                .build())
                .setEmittedAt(Instant.ofEpochMilli(T + 3))
                .build();
    }

    private static ModelScore score(String version, double score) {
        return ModelScore.newBuilder()
                .setModel("fraud")
                .setVersion(version)
                .setScore(score)
                .setError(null)
                .build();
    }

    private double[] vector(int i) {
        return ExactFeatureVector.compute(
                        times[i],
                        amounts[i],
                        new long[] {times[i] - 500, times[i]},
                        new long[] {2_000, amounts[i]},
                        Long.MIN_VALUE,
                        OnlineStoreReset.NEVER,
                        WindowHistoryCodec.decode(customerBytes[i]),
                        WindowHistoryCodec.decode(terminalBytes[i]),
                        labels)
                .values();
    }

    private static WindowHistorySnapshot history(
            Random random, long asOf, int buckets, long span, boolean frauds) {
        long[] times = new long[buckets];
        long[] counts = new long[buckets];
        long[] values = new long[buckets];
        long step = span / buckets;
        for (int b = 0; b < buckets; b++) {
            times[b] =
                    asOf
                            - span
                            + 1
                            + b * step
                            + random.nextInt((int) Math.min(step - 1, 1_000_000));
            counts[b] = 1 + random.nextInt(2);
            values[b] = frauds ? (random.nextInt(20) == 0 ? 1 : 0) : 1_000 + random.nextInt(20_000);
        }
        return new WindowHistorySnapshot(asOf, asOf - span - 600_000, times, counts, values);
    }

    private static ModelArtifact artifact(String version, TestModels.Output output)
            throws Exception {
        float[] w = new float[15];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.02f * (i + 1);
        }
        byte[] onnx = TestModels.logistic(w, -3f, output);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onnx));
        ModelMetadata draft = TestModels.draft("fraud", version, output);
        return new ModelArtifact(draft.registered(sha, "bench", Instant.now()), onnx);
    }

    private static int[] columns(ModelMetadata metadata) {
        List<String> inputs = metadata.input().featureNames();
        return inputs.stream().mapToInt(ExactFeatureVector.NAMES::indexOf).toArray();
    }

    private static float[] select(double[] vector, int[] columns) {
        float[] row = new float[columns.length];
        for (int c = 0; c < columns.length; c++) {
            row[c] = (float) vector[columns[c]];
        }
        return row;
    }
}
