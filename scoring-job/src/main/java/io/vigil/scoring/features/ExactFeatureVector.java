package io.vigil.scoring.features;

import io.vigil.features.FeatureDefinitions;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import io.vigil.schemas.history.OnlineStoreReset;
import io.vigil.schemas.history.WindowHistorySnapshot;
import io.vigil.scoring.records.TerminalFraudLabels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The v1 feature vector of a transaction at its event time t, exactly as the feature log defines
 * it, from what Redis and the job hold at scoring time.
 *
 * <p><b>Customer windows</b> {@code (t − w, t]}: the Redis snapshot supplies the buckets up to
 * {@code cut = min(asOf, t − 1)}; the job's own recent transactions supply those after {@code cut}
 * up to and including this one (in arrival order at equal times). The result is exact when the
 * snapshot reaches back past {@code t − 30 d} and the recent transactions are complete after {@code
 * cut}; otherwise the vector is refused with a reason.
 *
 * <p><b>Terminal windows</b> {@code (t − d − w, t − d]}: transactions from the snapshot; frauds
 * from the snapshot (labels with label time ≤ asOf) plus the received labels with label time in
 * {@code (asOf, t]} whose transaction the snapshot holds. A feature job that lags by less than d
 * has written every terminal transaction up to {@code t − d}.
 */
public final class ExactFeatureVector {

    /** Feature names in vector order, as in the feature log: customer, terminal, request. */
    public static final List<String> NAMES = names();

    private static final int WINDOWS = FeatureDefinitions.WINDOW_MILLIS.length;
    private static final int CUSTOMER = 0;
    private static final int TERMINAL = 2 * WINDOWS;
    private static final int REQUEST = 4 * WINDOWS;

    /**
     * The vector (null when it could not be computed exactly, then {@code problem} says why), and
     * the event-time age of each view's Redis snapshot ({@link Long#MIN_VALUE} when there is none).
     */
    public record Result(
            double[] values, String problem, long customerAgeMillis, long terminalAgeMillis) {

        public boolean exact() {
            return problem == null;
        }
    }

    private ExactFeatureVector() {}

    /** Index of the first request-time feature in {@link #NAMES}. */
    public static int requestOffset() {
        return REQUEST;
    }

    public static Result compute(
            long t,
            long amountMinorUnits,
            long[] recentTimes,
            long[] recentAmounts,
            long recentCompleteAfterMillis,
            long storeResetAtMillis,
            WindowHistorySnapshot customer,
            WindowHistorySnapshot terminal,
            TerminalFraudLabels labels) {
        long customerAge = customer == null ? Long.MIN_VALUE : t - customer.asOfMillis();
        long terminalAge = terminal == null ? Long.MIN_VALUE : t - terminal.asOfMillis();
        long widest = FeatureDefinitions.WINDOW_MILLIS[WINDOWS - 1];
        long cut = customer == null ? Long.MIN_VALUE : Math.min(customer.asOfMillis(), t - 1);
        long terminalEnd = t - FeatureDefinitions.TERMINAL_DELAY_MILLIS;
        // No snapshot means no history only if the store lost nothing the window would cover.
        if ((customer == null
                        && !OnlineStoreReset.vouchesForAbsence(storeResetAtMillis, t - widest))
                || (terminal == null
                        && !OnlineStoreReset.vouchesForAbsence(
                                storeResetAtMillis, terminalEnd - widest))) {
            return refused("online_store_reset", customerAge, terminalAge);
        }
        if (customer != null && customer.completeAfterMillis() > t - widest) {
            return refused("customer_history_incomplete", customerAge, terminalAge);
        }
        if (recentCompleteAfterMillis > cut) {
            return refused("customer_history_gap", customerAge, terminalAge);
        }
        if (terminal != null && terminal.completeAfterMillis() > terminalEnd - widest) {
            return refused("terminal_history_incomplete", customerAge, terminalAge);
        }
        double[] values = new double[NAMES.size()];
        for (int k = 0; k < WINDOWS; k++) {
            long from = t - FeatureDefinitions.WINDOW_MILLIS[k];
            long count = 0;
            long sum = 0;
            if (customer != null) {
                for (int i = firstAfter(customer.times(), from);
                        i < customer.times().length && customer.times()[i] <= cut;
                        i++) {
                    count += customer.counts()[i];
                    sum += customer.values()[i];
                }
            }
            long recentFrom = Math.max(from, cut);
            for (int i = firstAfter(recentTimes, recentFrom);
                    i < recentTimes.length && recentTimes[i] <= t;
                    i++) {
                count++;
                sum += recentAmounts[i];
            }
            values[CUSTOMER + 2 * k] = count;
            values[CUSTOMER + 2 * k + 1] = count == 0 ? 0 : sum / 100.0 / count;

            long terminalFrom = terminalEnd - FeatureDefinitions.WINDOW_MILLIS[k];
            long txs = 0;
            long frauds = 0;
            if (terminal != null) {
                for (int i = firstAfter(terminal.times(), terminalFrom);
                        i < terminal.times().length && terminal.times()[i] <= terminalEnd;
                        i++) {
                    txs += terminal.counts()[i];
                    frauds += terminal.values()[i];
                }
                frauds += newerFrauds(terminal, labels, terminalFrom, terminalEnd, t);
            }
            values[TERMINAL + 2 * k] = txs;
            values[TERMINAL + 2 * k + 1] = txs == 0 ? 0 : (double) frauds / txs;
        }
        double[] request = FeatureDefinitions.requestFeatures(t, amountMinorUnits);
        System.arraycopy(request, 0, values, REQUEST, request.length);
        return new Result(values, null, customerAge, terminalAge);
    }

    /** Labels received after the snapshot was written, of transactions in (from, to]. */
    private static long newerFrauds(
            WindowHistorySnapshot terminal,
            TerminalFraudLabels labels,
            long from,
            long to,
            long t) {
        if (labels == null) {
            return 0;
        }
        long frauds = 0;
        for (int i = 0; i < labels.size(); i++) {
            long txTime = labels.txTimes[i];
            long labelTime = labels.labelTimes[i];
            if (txTime > from
                    && txTime <= to
                    && labelTime > terminal.asOfMillis()
                    && labelTime <= t
                    && Arrays.binarySearch(terminal.times(), txTime) >= 0) {
                frauds++;
            }
        }
        return frauds;
    }

    /** Index of the first element greater than {@code time} in a sorted array. */
    private static int firstAfter(long[] sorted, long time) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static Result refused(String problem, long customerAge, long terminalAge) {
        return new Result(null, problem, customerAge, terminalAge);
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (FeatureViewSpec view :
                List.of(FeatureViews.CUSTOMER_SPENDING, FeatureViews.TERMINAL_RISK)) {
            names.addAll(view.qualifiedFeatureNames());
        }
        names.addAll(FeatureDefinitions.QUALIFIED_REQUEST_FEATURES);
        return Collections.unmodifiableList(names);
    }
}
