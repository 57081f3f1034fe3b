package io.vigil.trainer;

import io.vigil.models.FeatureCatalog;
import io.vigil.models.InputSignature;
import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.dataset.TrainingSetStats;
import java.time.Instant;
import java.util.Random;

/**
 * Rows shaped like the 15 default features (amounts, 0/1 flags, counts, means, risk shares) with a
 * fraud rule that mixes a linear and a non-linear part, so both trainers have something to learn.
 */
public final class SyntheticData {

    public static final InputSignature SIGNATURE = FeatureCatalog.v1().defaultSignature("features");
    private static final Instant START = Instant.parse("2018-04-01T00:00:00Z");

    private SyntheticData() {}

    public static TrainingSet rows(int n, long seed) {
        return rows(n, seed, 60);
    }

    /** {@code n} rows {@code stepSeconds} apart from 2018-04-01. */
    public static TrainingSet rows(int n, long seed, long stepSeconds) {
        Random random = new Random(seed);
        float[][] x = new float[n][15];
        int[] y = new int[n];
        Instant[] times = new Instant[n];
        String[] customers = new String[n];
        String[] transactions = new String[n];
        for (int i = 0; i < n; i++) {
            float[] r = x[i];
            r[0] = (float) Math.round(Math.abs(random.nextGaussian() * 60 + 50) * 100) / 100;
            r[1] = random.nextInt(7) >= 5 ? 1 : 0;
            r[2] = random.nextInt(24) <= 6 ? 1 : 0;
            for (int w = 0; w < 3; w++) {
                int days = new int[] {1, 7, 30}[w];
                r[3 + 2 * w] = random.nextInt(3 * days + 1);
                r[4 + 2 * w] = (float) (50 + random.nextGaussian() * 15);
                r[9 + 2 * w] = random.nextInt(10 * days + 1);
                r[10 + 2 * w] = random.nextDouble() < 0.1 ? (float) random.nextDouble() : 0;
            }
            double z = -4 + 0.01 * r[0] + 3 * r[10] + 1.5 * r[12] + (r[0] > 220 ? 2.5 : 0);
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            times[i] = START.plusSeconds(i * stepSeconds);
            customers[i] = "c" + random.nextInt(Math.max(1, n / 10));
            transactions[i] = "t" + i;
        }
        return new TrainingSet(
                SIGNATURE.featureNames(),
                x,
                y,
                times,
                customers,
                transactions,
                new TrainingSetStats(0, 0, 0, 0, 0, 0, 0));
    }
}
