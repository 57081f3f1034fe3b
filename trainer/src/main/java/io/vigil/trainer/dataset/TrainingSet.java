package io.vigil.trainer.dataset;

import java.time.Instant;
import java.util.List;

/**
 * Labelled rows in event-time order: features in the order of {@link #featureNames()}, label 1 =
 * fraud, and per row the transaction, customer and event time (needed by per-day metrics such as
 * Card Precision@k). Arrays are shared, not copied: treat them as read-only.
 */
public final class TrainingSet {

    private final List<String> featureNames;
    private final float[][] features;
    private final int[] labels;
    private final Instant[] eventTimes;
    private final String[] customerIds;
    private final String[] transactionIds;
    private final TrainingSetStats stats;

    public TrainingSet(
            List<String> featureNames,
            float[][] features,
            int[] labels,
            Instant[] eventTimes,
            String[] customerIds,
            String[] transactionIds,
            TrainingSetStats stats) {
        int n = features.length;
        if (labels.length != n
                || eventTimes.length != n
                || customerIds.length != n
                || transactionIds.length != n) {
            throw new IllegalArgumentException("training set columns differ in length");
        }
        for (int i = 0; i < n; i++) {
            if (features[i].length != featureNames.size()) {
                throw new IllegalArgumentException(
                        "row "
                                + transactionIds[i]
                                + " has "
                                + features[i].length
                                + " features, expected "
                                + featureNames.size());
            }
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException(
                        "row " + transactionIds[i] + " has label " + labels[i] + ", not 0 or 1");
            }
        }
        this.featureNames = List.copyOf(featureNames);
        this.features = features;
        this.labels = labels;
        this.eventTimes = eventTimes;
        this.customerIds = customerIds;
        this.transactionIds = transactionIds;
        this.stats = stats;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int size() {
        return features.length;
    }

    public int width() {
        return featureNames.size();
    }

    public float[][] features() {
        return features;
    }

    public int[] labels() {
        return labels;
    }

    public int frauds() {
        int frauds = 0;
        for (int label : labels) {
            frauds += label;
        }
        return frauds;
    }

    public Instant eventTime(int row) {
        return eventTimes[row];
    }

    public String customerId(int row) {
        return customerIds[row];
    }

    public String transactionId(int row) {
        return transactionIds[row];
    }

    /** Values of feature {@code j} over all rows. */
    public double[] column(int j) {
        double[] column = new double[features.length];
        for (int i = 0; i < features.length; i++) {
            column[i] = features[i][j];
        }
        return column;
    }

    /** How the rows were chosen from the feature log and labels. */
    public TrainingSetStats stats() {
        return stats;
    }
}
