package io.vigil.trainer.bench;

import io.vigil.models.FeatureCatalog;
import io.vigil.models.InputSignature;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.trainer.Candidates;
import io.vigil.trainer.ModelTraining;
import io.vigil.trainer.SelectionMetric;
import io.vigil.trainer.TrainedModel;
import io.vigil.trainer.Trainer;
import io.vigil.trainer.TrainingConfig;
import io.vigil.trainer.TrainingResult;
import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.dataset.TrainingSetBuilder;
import io.vigil.trainer.linear.LogisticRegressionModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Training time and memory on the Fraud Detection Handbook's week, with the features Vigil's
 * feature job computed: the feature log and labels are read from the local stack's Kafka after
 * {@code ./vigil replay handbook-raw.csv.gz} and {@code infra/bin/submit-feature-job.sh}, and each
 * algorithm is trained exactly as {@code vigil model train --train-from 2018-07-25 --train-to
 * 2018-08-01} trains it (default grid, selection on the last two days, ONNX export, parity check on
 * every validation row, reference profile). A program, not a test: {@code bench/models.sh
 * handbook}.
 *
 * <p>Per algorithm it prints the whole training run, one fit with the heaviest setting of the
 * default grid (the model the inference benchmark scores) on the real training set, the ONNX sizes,
 * and {@link BenchMemory}'s figures over both; the data read from Kafka stays on the heap
 * throughout and is printed first, so it can be told apart.
 *
 * <p>Arguments: {@code BOOTSTRAP [TOPIC_PREFIX]} (default prefix {@code vigil.}).
 */
public final class HandbookTrainingBenchmark {

    static final Instant TRAIN_FROM = Instant.parse("2018-07-25T00:00:00Z");
    static final Instant TRAIN_TO = Instant.parse("2018-08-01T00:00:00Z");
    static final Duration VALIDATION = Duration.ofDays(2);
    static final Duration LABEL_DELAY = Duration.ofDays(7);
    private static final int K = 100;
    private static final int FITS = 3;
    private static final double MB = BenchMemory.MB;

    private HandbookTrainingBenchmark() {}

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println(
                    "usage: HandbookTrainingBenchmark BOOTSTRAP [TOPIC_PREFIX (default vigil.)];"
                            + " got "
                            + Arrays.toString(args));
            System.exit(2);
        }
        String prefix = args.length == 2 ? args[1] : "vigil.";
        long readStart = System.nanoTime();
        List<FeatureVector> rows = new ArrayList<>();
        Set<String> transactions = new HashSet<>();
        long malformedRows =
                TopicSnapshot.read(
                        args[0],
                        prefix + "features",
                        AvroSerde.of(FeatureVector.class),
                        v -> {
                            if (!v.getEventTime().isBefore(TRAIN_FROM)
                                    && v.getEventTime().isBefore(TRAIN_TO)) {
                                rows.add(v);
                                transactions.add(v.getTransactionId());
                            }
                        });
        // As `vigil model train`: labels of the window's transactions, and every fraud (Card
        // Precision@k skips cards already known to be compromised).
        List<Label> labels = new ArrayList<>();
        long malformedLabels =
                TopicSnapshot.read(
                        args[0],
                        prefix + "labels",
                        AvroSerde.of(Label.class),
                        l -> {
                            if (l.getIsFraud() || transactions.contains(l.getTransactionId())) {
                                labels.add(l);
                            }
                        });
        if (rows.isEmpty()) {
            throw new IllegalStateException(
                    "no feature-log rows in [2018-07-25, 2018-08-01) on "
                            + prefix
                            + "features at "
                            + args[0]
                            + ": replay the handbook (./vigil replay handbook-raw.csv.gz) and let"
                            + " the feature job (infra/bin/submit-feature-job.sh) finish first");
        }
        System.out.printf(
                Locale.ROOT,
                "Data: the handbook week [2018-07-25, 2018-08-01) from %sfeatures and %slabels at"
                        + " %s: %,d feature-log rows, %,d labels kept (%d + %d malformed skipped),"
                        + " read in %.1f s; heap after GC %.0f MB, RSS %.0f MB%n",
                prefix,
                prefix,
                args[0],
                rows.size(),
                labels.size(),
                malformedRows,
                malformedLabels,
                (System.nanoTime() - readStart) / 1e9,
                BenchMemory.heapAfterGc() / MB,
                BenchMemory.rss() / MB);
        System.out.printf(
                Locale.ROOT,
                "JVM: %s, max heap %.0f MB, %d CPUs; as `vigil model train`: fitted on"
                        + " [2018-07-25, 2018-07-30), selected on [2018-07-30, 2018-08-01), labels"
                        + " known at 2018-08-08; one fit = median of %d%n%n",
                Runtime.version(),
                Runtime.getRuntime().maxMemory() / MB,
                Runtime.getRuntime().availableProcessors(),
                FITS);
        BenchData.warmUp();

        InputSignature signature = FeatureCatalog.v1().defaultSignature("features");
        TrainingSet train =
                new TrainingSetBuilder(signature, LABEL_DELAY)
                        .build(rows, labels, TRAIN_FROM, TRAIN_TO.minus(VALIDATION), cutoff());
        System.out.printf(
                Locale.ROOT,
                "%-20s %9s %9s %11s %11s %9s %9s %16s  %-7s %s%n",
                "model",
                "train run",
                "one fit",
                "ONNX bytes",
                "(heaviest)",
                "peak heap",
                "alloc",
                "peak RSS (rise)",
                "val AP",
                "selected");
        for (String algorithm : BenchData.algorithms()) {
            report(algorithm, signature, rows, labels, train);
        }
    }

    private static void report(
            String algorithm,
            InputSignature signature,
            List<FeatureVector> rows,
            List<Label> labels,
            TrainingSet train) {
        BenchMemory memory = new BenchMemory();
        memory.start();
        long start = System.nanoTime();
        TrainingResult result =
                ModelTraining.run(
                        config(algorithm),
                        signature,
                        rows,
                        labels,
                        algorithm.equals(LogisticRegressionModel.ALGORITHM)
                                ? Candidates.logisticRegression()
                                : Candidates.xgboost());
        long runNanos = System.nanoTime() - start;
        Trainer heaviest = BenchData.trainer(algorithm);
        long[] fitNanos = new long[FITS];
        int heaviestBytes = 0;
        for (int i = 0; i < FITS; i++) {
            long fitStart = System.nanoTime();
            try (TrainedModel model = heaviest.fit(train)) {
                fitNanos[i] = System.nanoTime() - fitStart;
                heaviestBytes = model.toOnnx(signature).length;
            }
        }
        BenchMemory.Usage usage = memory.stop();
        Arrays.sort(fitNanos);
        System.out.printf(
                Locale.ROOT,
                "%-20s %7.1f s %6.0f ms %,11d %,11d %6.0f MB %6.0f MB %16s  %.4f  %s%n",
                algorithm,
                runNanos / 1e9,
                fitNanos[FITS / 2] / 1e6,
                result.onnx().length,
                heaviestBytes,
                usage.peakHeap() / MB,
                usage.allocated() / MB,
                usage.rssGrowthText(),
                result.draft().metrics().get("validation_average_precision"),
                result.draft().hyperparameters().entrySet().stream()
                        .filter(h -> !h.getKey().equals("class_weight"))
                        .filter(h -> !h.getKey().equals("scale_pos_weight"))
                        .map(h -> h.getKey() + "=" + h.getValue())
                        .collect(Collectors.joining(" ")));
    }

    private static TrainingConfig config(String algorithm) {
        return new TrainingConfig(
                "handbook",
                "bench-" + algorithm.replace('_', '-'),
                null,
                "bench",
                TRAIN_FROM,
                TRAIN_TO.minus(VALIDATION),
                TRAIN_TO,
                cutoff(),
                LABEL_DELAY,
                K,
                SelectionMetric.AVERAGE_PRECISION,
                null);
    }

    private static Instant cutoff() {
        return TRAIN_TO.plus(LABEL_DELAY);
    }
}
