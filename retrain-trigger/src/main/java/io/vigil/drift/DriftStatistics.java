package io.vigil.drift;

/**
 * Drift statistics of live bin counts against reference bin counts over the same bins (a reference
 * profile's quantile bins, closed on the right). Pure functions.
 */
public final class DriftStatistics {

    /**
     * The share a bin is given when it is empty on either side, so that PSI stays finite: a bin
     * that lost all its data then adds about {@code p·ln(p / 1e-4)}, e.g. 0.69 for a 10 % bin, a
     * clear alert without dominating every other bin's contribution.
     */
    public static final double EMPTY_BIN_SHARE = 1e-4;

    private DriftStatistics() {}

    /**
     * Population stability index: Σ (live − ref) · ln(live / ref) over the bins' shares, with empty
     * bins at {@link #EMPTY_BIN_SHARE}. 0 for identical shares; 0.1 is usually read as a moderate
     * and 0.25 as a major shift.
     *
     * @throws IllegalArgumentException if the arrays differ in length or either side is empty
     */
    public static double psi(long[] reference, long[] live) {
        double refTotal = total(reference, live);
        double liveTotal = total(live, reference);
        double psi = 0;
        for (int i = 0; i < reference.length; i++) {
            double ref = Math.max(reference[i] / refTotal, EMPTY_BIN_SHARE);
            double cur = Math.max(live[i] / liveTotal, EMPTY_BIN_SHARE);
            psi += (cur - ref) * Math.log(cur / ref);
        }
        return psi;
    }

    /**
     * The Kolmogorov–Smirnov statistic evaluated at the bin edges only: max over the interior edges
     * of |F_ref(e) − F_live(e)|, where F(e) is the share of values ≤ e (the bins below the edge).
     * The exact statistic takes the maximum over every value, so this is a lower bound of it, equal
     * when the largest gap sits on an edge. 0 with a single bin.
     *
     * @throws IllegalArgumentException if the arrays differ in length or either side is empty
     */
    public static double binnedKs(long[] reference, long[] live) {
        double refTotal = total(reference, live);
        double liveTotal = total(live, reference);
        long refBelow = 0;
        long liveBelow = 0;
        double ks = 0;
        // The last bin is open above: its edge is +inf, where both distributions reach 1.
        for (int i = 0; i < reference.length - 1; i++) {
            refBelow += reference[i];
            liveBelow += live[i];
            ks = Math.max(ks, Math.abs(refBelow / refTotal - liveBelow / liveTotal));
        }
        return ks;
    }

    private static double total(long[] counts, long[] other) {
        if (counts.length != other.length) {
            throw new IllegalArgumentException(
                    "bin counts differ in length: " + counts.length + " and " + other.length);
        }
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative bin count " + c);
            }
            total += c;
        }
        if (total == 0) {
            throw new IllegalArgumentException("no values in " + counts.length + " bins");
        }
        return total;
    }
}
