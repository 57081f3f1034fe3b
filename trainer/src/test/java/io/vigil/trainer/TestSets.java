package io.vigil.trainer;

import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.dataset.TrainingSetStats;
import java.time.Instant;
import java.util.List;

/** Training sets written out by hand. */
public final class TestSets {

    private static final TrainingSetStats NONE = new TrainingSetStats(0, 0, 0, 0, 0, 0, 0);

    private TestSets() {}

    /** Rows one second apart from the epoch, each its own customer. */
    public static TrainingSet of(List<String> names, float[][] x, int[] y) {
        Instant[] times = new Instant[x.length];
        String[] ids = new String[x.length];
        for (int i = 0; i < x.length; i++) {
            times[i] = Instant.EPOCH.plusSeconds(i);
            ids[i] = "t" + i;
        }
        return new TrainingSet(names, x, y, times, ids, ids, NONE);
    }

    /** One-feature rows with the given times, customers and labels. */
    public static TrainingSet of(Instant[] times, String[] customers, int[] y) {
        float[][] x = new float[y.length][1];
        String[] ids = new String[y.length];
        for (int i = 0; i < y.length; i++) {
            ids[i] = "t" + i;
        }
        return new TrainingSet(List.of("request:tx_amount"), x, y, times, customers, ids, NONE);
    }
}
