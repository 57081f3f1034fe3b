package io.vigil.models;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A small summary of one variable's distribution on reference data, for drift checks (PSI, KS)
 * against live traffic.
 *
 * <p>{@code binEdges} are the interior cut points e<sub>1</sub> &lt; … &lt; e<sub>k</sub>; bin 0 is
 * {@code (-inf, e1]}, bin i is {@code (e_i, e_i+1]} and bin k is {@code (e_k, +inf)}, so {@code
 * binCounts} has {@code k + 1} entries. Edges are sample values at quantile ranks (not
 * interpolated, so a 0/1 flag gets the single edge 0); each bin holds a similar share of the
 * reference data unless values repeat (counts, flags), in which case equal edges are merged. {@code
 * quantiles} are interpolated between ranks, as numpy's default.
 */
public record DistributionProfile(
        long count,
        double mean,
        double min,
        double max,
        List<Double> binEdges,
        List<Long> binCounts,
        List<Quantile> quantiles) {

    /** The quantile levels every profile records. */
    public static final double[] LEVELS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    /** The {@code level}-quantile of the reference data. */
    public record Quantile(double level, double value) {}

    public DistributionProfile {
        binEdges = List.copyOf(binEdges);
        binCounts = List.copyOf(binCounts);
        quantiles = List.copyOf(quantiles);
        if (binCounts.size() != binEdges.size() + 1) {
            throw new IllegalArgumentException(
                    "a profile with "
                            + binEdges.size()
                            + " edges needs "
                            + (binEdges.size() + 1)
                            + " bin counts, got "
                            + binCounts.size());
        }
        for (int i = 1; i < binEdges.size(); i++) {
            if (!(binEdges.get(i - 1) < binEdges.get(i))) {
                throw new IllegalArgumentException("profile bin edges must increase: " + binEdges);
            }
        }
        if (binCounts.stream().mapToLong(Long::longValue).sum() != count) {
            throw new IllegalArgumentException("profile bin counts must add up to " + count);
        }
    }

    /**
     * Profiles {@code values} with at most {@code bins} quantile bins.
     *
     * @throws IllegalArgumentException if there are no values or one is not finite
     */
    public static DistributionProfile of(double[] values, int bins) {
        if (values.length == 0) {
            throw new IllegalArgumentException("cannot profile an empty sample");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (!Double.isFinite(sorted[0]) || !Double.isFinite(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("cannot profile non-finite values");
        }
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double[] edges =
                IntStream.range(1, bins)
                        .mapToDouble(
                                i ->
                                        sorted[
                                                (int)
                                                        Math.floor(
                                                                (double) i
                                                                        / bins
                                                                        * (sorted.length - 1))])
                        .filter(e -> e < sorted[sorted.length - 1])
                        .distinct()
                        .toArray();
        long[] counts = new long[edges.length + 1];
        for (double v : sorted) {
            counts[bin(edges, v)]++;
        }
        return new DistributionProfile(
                sorted.length,
                sum / sorted.length,
                sorted[0],
                sorted[sorted.length - 1],
                Arrays.stream(edges).boxed().toList(),
                Arrays.stream(counts).boxed().toList(),
                Arrays.stream(LEVELS).mapToObj(l -> new Quantile(l, quantile(sorted, l))).toList());
    }

    /** The bin {@code value} falls into, 0 … {@code binEdges.size()}. */
    public int binOf(double value) {
        // Searched in place: the drift job bins every input of every decision.
        int i = Collections.binarySearch(binEdges, value);
        return i >= 0 ? i : -i - 1;
    }

    /** The recorded quantile at {@code level} (one of {@link #LEVELS}). */
    public double quantile(double level) {
        for (Quantile q : quantiles) {
            if (q.level() == level) {
                return q.value();
            }
        }
        throw new IllegalArgumentException("no quantile at level " + level + " in " + quantiles);
    }

    // Linear interpolation between closest ranks (numpy's default).
    private static double quantile(double[] sorted, double level) {
        double pos = level * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    // Bins are closed on the right: a value equal to an edge belongs to the bin below it.
    private static int bin(double[] edges, double value) {
        int i = Arrays.binarySearch(edges, value);
        return i >= 0 ? i : -i - 1;
    }
}
