package io.vigil.trainer.evaluation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Threshold-free metrics of a fraud score against labels (1 = fraud). */
public final class RankingMetrics {

    private RankingMetrics() {}

    /**
     * Area under the ROC curve: the probability that a random fraud scores higher than a random
     * legitimate transaction, ties counting one half (Mann-Whitney U with mid-ranks).
     */
    public static double aucRoc(double[] scores, int[] labels) {
        int positives = positives(scores, labels);
        int negatives = labels.length - positives;
        Integer[] order = ascending(scores);
        double rankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int r = i; r <= j; r++) {
                rankSum += labels[order[r]] * midRank;
            }
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /**
     * Average precision as scikit-learn defines it: the sum over score thresholds (highest first,
     * tied scores forming one threshold) of precision times the recall gained there.
     */
    public static double averagePrecision(double[] scores, int[] labels) {
        int positives = positives(scores, labels);
        Integer[] order = ascending(scores);
        double ap = 0;
        int truePositives = 0;
        int seen = 0;
        int i = order.length - 1;
        while (i >= 0) {
            int j = i;
            while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
                j--;
            }
            int gained = 0;
            for (int r = j; r <= i; r++) {
                gained += labels[order[r]];
            }
            truePositives += gained;
            seen += i - j + 1;
            ap += (double) gained / positives * truePositives / seen;
            i = j - 1;
        }
        return ap;
    }

    private static int positives(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(
                    scores.length + " scores for " + labels.length + " labels");
        }
        int positives = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i]);
            }
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            positives += labels[i];
        }
        if (positives == 0 || positives == labels.length) {
            throw new IllegalArgumentException(
                    "ranking metrics need frauds and legitimate rows; got "
                            + positives
                            + " frauds among "
                            + labels.length);
        }
        return positives;
    }

    private static Integer[] ascending(double[] scores) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        return order;
    }
}
