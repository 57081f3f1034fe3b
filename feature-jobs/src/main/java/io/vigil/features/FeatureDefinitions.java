package io.vigil.features;

import io.vigil.features.state.SlidingWindowHistory;
import io.vigil.schemas.feast.FeatureViewSpec;
import io.vigil.schemas.feast.FeatureViews;
import java.util.List;

/**
 * The v1 feature definitions (Fraud Detection Handbook, chapter 3) as numbers: window widths, the
 * terminal delay, how long an entity's history must be kept, and how window totals become feature
 * values in {@link FeatureViews} order ({@code nb_tx_1d, avg_amount_1d | risk_1d, nb_tx_7d, …}).
 *
 * <p>Windows are exact event-time durations: {@code (t − w, t]} for customers, {@code (t − d − w, t
 * − d]} for terminals.
 */
public final class FeatureDefinitions {

    public static final long DAY_MILLIS = 86_400_000L;

    public static final int[] WINDOW_DAYS = {1, 7, 30};

    /** Window widths in milliseconds, in {@link #WINDOW_DAYS} order. */
    public static final long[] WINDOW_MILLIS = {DAY_MILLIS, 7 * DAY_MILLIS, 30 * DAY_MILLIS};

    /** Terminal delay d: a terminal's windows end d before the transaction. */
    public static final long TERMINAL_DELAY_MILLIS = 7 * DAY_MILLIS;

    /** A customer's history can be dropped this long after its last transaction. */
    public static final long CUSTOMER_RETENTION_MILLIS = WINDOW_MILLIS[2];

    /** A terminal's history can be dropped this long after its last transaction. */
    public static final long TERMINAL_RETENTION_MILLIS = TERMINAL_DELAY_MILLIS + WINDOW_MILLIS[2];

    /** Prefix of the request-time features in the feature log. */
    public static final String REQUEST_VIEW = "request";

    public static final List<String> REQUEST_FEATURES =
            List.of("tx_amount", "tx_during_weekend", "tx_during_night");

    /** {@link FeatureViewSpec#qualifiedName} of each request feature, in the same order. */
    public static final List<String> QUALIFIED_REQUEST_FEATURES =
            REQUEST_FEATURES.stream()
                    .map(f -> FeatureViewSpec.qualifiedName(REQUEST_VIEW, f))
                    .toList();

    /** Hours 00:00:00 to 06:59:59 UTC are night. */
    private static final int LAST_NIGHT_HOUR = 6;

    static {
        checkLayout(FeatureViews.CUSTOMER_SPENDING, "avg_amount_");
        checkLayout(FeatureViews.TERMINAL_RISK, "risk_");
    }

    private FeatureDefinitions() {}

    /** {@code nb_tx_{w}d} and {@code avg_amount_{w}d} (currency units) from minor-unit sums. */
    public static double[] customerSpending(SlidingWindowHistory history) {
        double[] values = new double[2 * WINDOW_DAYS.length];
        for (int k = 0; k < WINDOW_DAYS.length; k++) {
            long count = history.windowCount(k);
            values[2 * k] = count;
            values[2 * k + 1] = count == 0 ? 0 : history.windowValue(k) / 100.0 / count;
        }
        return values;
    }

    /** {@code nb_tx_{w}d} and {@code risk_{w}d} (known frauds / count, 0 when no transaction). */
    public static double[] terminalRisk(SlidingWindowHistory history) {
        double[] values = new double[2 * WINDOW_DAYS.length];
        for (int k = 0; k < WINDOW_DAYS.length; k++) {
            long count = history.windowCount(k);
            values[2 * k] = count;
            values[2 * k + 1] = count == 0 ? 0 : (double) history.windowValue(k) / count;
        }
        return values;
    }

    /** The request-time features in {@link #REQUEST_FEATURES} order. */
    public static double[] requestFeatures(long eventTimeMillis, long amountMinorUnits) {
        long day = Math.floorDiv(eventTimeMillis, DAY_MILLIS);
        // 1970-01-01 was a Thursday: with Monday = 0, day 0 is weekday 3.
        int weekday = (int) Math.floorMod(day + 3, 7L);
        long hour = Math.floorMod(eventTimeMillis, DAY_MILLIS) / 3_600_000L;
        return new double[] {
            amountMinorUnits / 100.0, weekday >= 5 ? 1 : 0, hour <= LAST_NIGHT_HOUR ? 1 : 0
        };
    }

    // The values above are produced positionally; fail fast if the shared view specs change.
    private static void checkLayout(FeatureViewSpec view, String ratioPrefix) {
        if (view.featureCount() != 2 * WINDOW_DAYS.length) {
            throw new IllegalStateException(
                    "feature view " + view + " does not have the layout this job computes");
        }
        for (int k = 0; k < WINDOW_DAYS.length; k++) {
            String count = "nb_tx_" + WINDOW_DAYS[k] + "d";
            String ratio = ratioPrefix + WINDOW_DAYS[k] + "d";
            if (!view.features().get(2 * k).name().equals(count)
                    || !view.features().get(2 * k + 1).name().equals(ratio)) {
                throw new IllegalStateException(
                        "feature view " + view + " does not have the layout this job computes");
            }
        }
    }
}
