package io.vigil.simulator;

import java.util.Locale;

/**
 * Counts of a simulated (or replayed) stream: transactions, frauds and frauds per scenario, with a
 * comparison to the handbook's published dataset. Not thread-safe.
 */
public final class SimulationStatistics {

    /** The published dataset (183 days, 5,000 customers, 10,000 terminals). */
    public static final long PUBLISHED_TRANSACTIONS = 1_754_155;

    public static final long PUBLISHED_FRAUDS = 14_681;

    /** Published frauds of scenarios 1, 2 and 3 (index 0 unused). */
    private static final long[] PUBLISHED_BY_SCENARIO = {0, 973, 9_077, 4_631};

    private long transactions;
    private long frauds;
    private final long[] byScenario = new long[5];

    public void accept(SimulatedTransaction t) {
        transactions++;
        if (t.fraud()) {
            frauds++;
        }
        byScenario[Math.min(t.scenario(), byScenario.length - 1)]++;
    }

    public long transactions() {
        return transactions;
    }

    public long frauds() {
        return frauds;
    }

    /** Transactions of one scenario; 0 = legitimate, 4 also counts any higher number. */
    public long scenario(int scenario) {
        return byScenario[scenario];
    }

    public double fraudRate() {
        return transactions == 0 ? 0 : (double) frauds / transactions;
    }

    /**
     * A table of the counts; with {@code compareToPublished}, each count's relative difference to
     * the published dataset (meaningful for a 183-day run with the handbook's parameters).
     */
    public String report(boolean compareToPublished) {
        StringBuilder out = new StringBuilder();
        row(out, "transactions", transactions, compareToPublished ? PUBLISHED_TRANSACTIONS : -1);
        row(out, "frauds", frauds, compareToPublished ? PUBLISHED_FRAUDS : -1);
        out.append(
                String.format(
                        Locale.ROOT,
                        "%-14s %11.3f %%%s%n",
                        "fraud rate",
                        100 * fraudRate(),
                        compareToPublished
                                ? String.format(
                                        Locale.ROOT,
                                        "   published %.3f %%",
                                        100.0 * PUBLISHED_FRAUDS / PUBLISHED_TRANSACTIONS)
                                : ""));
        for (int s = 1; s < byScenario.length; s++) {
            long published =
                    compareToPublished && s < PUBLISHED_BY_SCENARIO.length
                            ? PUBLISHED_BY_SCENARIO[s]
                            : -1;
            if (byScenario[s] > 0 || published > 0) {
                row(out, "scenario " + s, byScenario[s], published);
            }
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, long value, long published) {
        out.append(String.format(Locale.ROOT, "%-14s %,11d", name, value));
        if (published > 0) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "   published %,11d   difference %+6.2f %%",
                            published,
                            100.0 * (value - published) / published));
        }
        out.append(System.lineSeparator());
    }
}
