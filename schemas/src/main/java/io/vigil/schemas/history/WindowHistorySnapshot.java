package io.vigil.schemas.history;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entity's bucket history as of an event time, as the feature job stores it next to the
 * entity's Feast row (field {@code _vigil_history:<view>}) so a reader can compute the entity's
 * windows at any time it covers.
 *
 * <p>Arrays are parallel, one element per bucket (a distinct event time): {@code times} strictly
 * increasing, each in {@code (completeAfterMillis, asOfMillis]}; {@code counts} the events at that
 * time ({@code >= 1}); {@code values} their summed value (amount in minor units for customers,
 * applied fraud labels for terminals). Every event of the entity with a time in {@code
 * (completeAfterMillis, asOfMillis]} is in it; nothing later is. So a window {@code (a, b]} can be
 * computed exactly when {@code a >= completeAfterMillis} and {@code b <= asOfMillis}.
 *
 * <p>The constructor checks and copies the arrays; the accessors return the snapshot's own arrays
 * without copying (readers iterate them on the scoring path): treat them as read-only. A class, not
 * a record, so that {@link WindowHistoryCodec#decode}, which checks the same as it reads and
 * allocates the arrays itself, can hand them over without a second check and copy (the scoring job
 * decodes two snapshots per transaction).
 */
public final class WindowHistorySnapshot {

    private final long asOfMillis;
    private final long completeAfterMillis;
    private final long[] times;
    private final long[] counts;
    private final long[] values;

    public WindowHistorySnapshot(
            long asOfMillis, long completeAfterMillis, long[] times, long[] counts, long[] values) {
        Objects.requireNonNull(times, "times");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(values, "values");
        if (completeAfterMillis >= asOfMillis) {
            throw new IllegalArgumentException(
                    "completeAfterMillis "
                            + completeAfterMillis
                            + " must be before asOfMillis "
                            + asOfMillis);
        }
        if (counts.length != times.length || values.length != times.length) {
            throw new IllegalArgumentException(
                    "times, counts and values must be parallel, got lengths "
                            + times.length
                            + ", "
                            + counts.length
                            + ", "
                            + values.length);
        }
        long previous = completeAfterMillis;
        for (int i = 0; i < times.length; i++) {
            if (times[i] <= previous) {
                throw new IllegalArgumentException(
                        "bucket "
                                + i
                                + " at "
                                + times[i]
                                + (i == 0
                                        ? " is not after completeAfterMillis " + previous
                                        : " is not after bucket " + (i - 1) + " at " + previous));
            }
            if (counts[i] < 1) {
                throw new IllegalArgumentException(
                        "bucket " + i + " at " + times[i] + " has count " + counts[i]);
            }
            previous = times[i];
        }
        if (previous > asOfMillis) {
            throw new IllegalArgumentException(
                    "bucket at " + previous + " is after asOfMillis " + asOfMillis);
        }
        this.asOfMillis = asOfMillis;
        this.completeAfterMillis = completeAfterMillis;
        this.times = times.clone();
        this.counts = counts.clone();
        this.values = values.clone();
    }

    /** Takes arrays that the caller has checked as the constructor would and no one else holds. */
    private WindowHistorySnapshot(
            long[] times, long[] counts, long[] values, long asOfMillis, long completeAfterMillis) {
        this.asOfMillis = asOfMillis;
        this.completeAfterMillis = completeAfterMillis;
        this.times = times;
        this.counts = counts;
        this.values = values;
    }

    /** For {@link WindowHistoryCodec#decode}: its arrays are fresh and checked while read. */
    static WindowHistorySnapshot decoded(
            long asOfMillis, long completeAfterMillis, long[] times, long[] counts, long[] values) {
        return new WindowHistorySnapshot(times, counts, values, asOfMillis, completeAfterMillis);
    }

    public long asOfMillis() {
        return asOfMillis;
    }

    public long completeAfterMillis() {
        return completeAfterMillis;
    }

    public long[] times() {
        return times;
    }

    public long[] counts() {
        return counts;
    }

    public long[] values() {
        return values;
    }

    /** Number of buckets. */
    public int size() {
        return times.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowHistorySnapshot s
                && asOfMillis == s.asOfMillis
                && completeAfterMillis == s.completeAfterMillis
                && Arrays.equals(times, s.times)
                && Arrays.equals(counts, s.counts)
                && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                asOfMillis,
                completeAfterMillis,
                Arrays.hashCode(times),
                Arrays.hashCode(counts),
                Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "WindowHistorySnapshot{asOf="
                + asOfMillis
                + ", completeAfter="
                + completeAfterMillis
                + ", buckets="
                + times.length
                + ", times="
                + Arrays.toString(times)
                + ", counts="
                + Arrays.toString(counts)
                + ", values="
                + Arrays.toString(values)
                + '}';
    }
}
