package io.vigil.trainer.dataset;

import io.vigil.models.InputSignature;
import io.vigil.models.ModelFeature;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a point-in-time training set: what a trainer running at {@code cutoff} could know.
 *
 * <ul>
 *   <li>Rows are the feature-log vectors (the exact features the scoring job saw) of transactions
 *       with event time in {@code [from, to)}; {@code to} must not be after the cut-off.
 *   <li>A label counts only if its {@code label_time} is at or before the cut-off; of several, the
 *       latest known one wins (a corrected label replaces the first).
 *   <li>A transaction without a known label counts as legitimate only if {@code event_time +
 *       labelDelay <= cutoff}: by then a fraud would have been reported. Younger ones are excluded,
 *       not guessed.
 *   <li>Rows computed with another version of a feature view than the signature's are excluded; a
 *       row of the right version that lacks a feature, or has a non-finite one, is an error.
 * </ul>
 */
public final class TrainingSetBuilder {

    private final InputSignature signature;
    private final Duration labelDelay;

    public TrainingSetBuilder(InputSignature signature, Duration labelDelay) {
        this.signature = Objects.requireNonNull(signature, "input signature");
        this.labelDelay = Objects.requireNonNull(labelDelay, "label delay");
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException("label delay must not be negative: " + labelDelay);
        }
    }

    /**
     * @throws IllegalArgumentException if {@code [from, to)} is empty or ends after {@code cutoff},
     *     or a feature-log row lacks a feature (naming the transaction and the feature)
     */
    public TrainingSet build(
            Iterable<FeatureVector> featureLog,
            Iterable<Label> labels,
            Instant from,
            Instant to,
            Instant cutoff) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("empty window [" + from + ", " + to + ")");
        }
        if (to.isAfter(cutoff)) {
            throw new IllegalArgumentException(
                    "window end "
                            + to
                            + " is after the label cut-off "
                            + cutoff
                            + ": those transactions are not known yet");
        }
        Map<String, Label> known = new HashMap<>();
        Map<String, Integer> unknownLabels = new HashMap<>();
        for (Label label : labels) {
            if (label.getLabelTime().isAfter(cutoff)) {
                unknownLabels.merge(label.getTransactionId(), 1, Integer::sum);
                continue;
            }
            known.merge(
                    label.getTransactionId(),
                    label,
                    (a, b) -> b.getLabelTime().isBefore(a.getLabelTime()) ? a : b);
        }

        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int outsideWindow = 0;
        int otherVersions = 0;
        int duplicates = 0;
        int tooRecent = 0;
        int labelsAfterCutoff = 0;
        Instant oldestUnlabelled = cutoff.minus(labelDelay);
        for (FeatureVector vector : featureLog) {
            Instant t = vector.getEventTime();
            if (t.isBefore(from) || !t.isBefore(to)) {
                outsideWindow++;
                continue;
            }
            if (!seen.add(vector.getTransactionId())) {
                duplicates++;
                continue;
            }
            if (!sameViewVersions(vector)) {
                otherVersions++;
                continue;
            }
            labelsAfterCutoff += unknownLabels.getOrDefault(vector.getTransactionId(), 0);
            Label label = known.get(vector.getTransactionId());
            int y;
            if (label != null) {
                y = label.getIsFraud() ? 1 : 0;
            } else if (!t.isAfter(oldestUnlabelled)) {
                y = 0;
            } else {
                tooRecent++;
                continue;
            }
            rows.add(
                    new Row(
                            t,
                            vector.getTransactionId(),
                            vector.getCustomerId(),
                            features(vector),
                            y));
        }
        rows.sort(Comparator.comparing(Row::eventTime).thenComparing(Row::transactionId));

        int n = rows.size();
        float[][] x = new float[n][];
        int[] y = new int[n];
        Instant[] times = new Instant[n];
        String[] customers = new String[n];
        String[] transactions = new String[n];
        int frauds = 0;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            x[i] = r.features;
            y[i] = r.label;
            frauds += r.label;
            times[i] = r.eventTime;
            customers[i] = r.customerId;
            transactions[i] = r.transactionId;
        }
        TrainingSetStats stats =
                new TrainingSetStats(
                        frauds,
                        n - frauds,
                        tooRecent,
                        outsideWindow,
                        otherVersions,
                        duplicates,
                        labelsAfterCutoff);
        return new TrainingSet(
                signature.featureNames(), x, y, times, customers, transactions, stats);
    }

    private boolean sameViewVersions(FeatureVector vector) {
        for (Map.Entry<String, Integer> view : signature.featureViewVersions().entrySet()) {
            if (!view.getValue().equals(vector.getFeatureViewVersions().get(view.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private float[] features(FeatureVector vector) {
        float[] row = new float[signature.width()];
        List<ModelFeature> features = signature.features();
        for (int j = 0; j < row.length; j++) {
            String name = features.get(j).name();
            Double value = vector.getFeatures().get(name);
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException(
                        "feature log row of transaction "
                                + vector.getTransactionId()
                                + " at "
                                + vector.getEventTime()
                                + (value == null ? " lacks " : " has a non-finite ")
                                + name);
            }
            row[j] = value.floatValue();
        }
        return row;
    }

    // Only what the set keeps: a whole FeatureVector (a map per row) would cost ten times more.
    private record Row(
            Instant eventTime,
            String transactionId,
            String customerId,
            float[] features,
            int label) {}
}
