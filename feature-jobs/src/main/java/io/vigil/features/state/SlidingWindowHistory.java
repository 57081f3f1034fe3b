package io.vigil.features.state;

import io.vigil.schemas.history.WindowHistoryCodec;
import java.util.Arrays;

/**
 * One entity's event-time history for exact sliding-window aggregates.
 *
 * <p>Holds one bucket per distinct event time (a transaction count and a summed {@code long} value:
 * amount in minor units for customers, known frauds for terminals) in a growable ring buffer,
 * oldest first, plus the running count and value of each window {@code (now − lag − width, now −
 * lag]}. Windows move forward only: {@link #advanceTo} lets buckets enter at the window end and
 * leave at each window start, so a transaction costs O(1) amortized whatever the window width;
 * buckets are evicted a margin after they left the widest window, so that {@link #encodedSnapshot}s
 * can give readers a little more history than the windows need (see {@code WindowHistorySnapshot}).
 *
 * <p>Memory: 24 bytes per slot (three {@code long} arrays), with between 1× and 4× as many slots as
 * distinct event times in the widest window plus the lag (the buffer doubles when full and halves
 * when a quarter full). The window widths and lag are not stored: the owning operator passes the
 * same ones on every call.
 *
 * <p>State is written by {@link SlidingWindowHistorySerializer} (live buckets only); the public
 * fields and no-argument constructor stay so that savepoints written when Flink's POJO serializer
 * held it can still be read and migrated. The heap state backend hands out this object itself:
 * mutate it, then write it back with {@code ValueState#update}.
 */
public class SlidingWindowHistory {

    private static final int INITIAL_CAPACITY = 8;

    /** Bucket event times, strictly increasing from {@link #head}, ring-buffered. */
    public long[] times;

    public long[] counts;
    public long[] values;

    /** Physical index of the oldest bucket. */
    public int head;

    /** Number of buckets held. */
    public int size;

    /**
     * Logical index (ever increasing) of the oldest bucket; logical i is at slot head + i − first.
     */
    public long first;

    /** Logical index of the first bucket of each window. */
    public long[] windowStart;

    /** Logical index one past the last bucket inside the windows (all windows share their end). */
    public long windowEnd;

    public long[] windowCount;
    public long[] windowValue;

    /** Event time of the newest recorded bucket, {@link Long#MIN_VALUE} when none. */
    public long lastRecorded;

    /**
     * Event time of the timer that expires this history (owned by the operator), {@link
     * Long#MIN_VALUE} when none is registered.
     */
    public long expiryTimer;

    public SlidingWindowHistory() {}

    public static SlidingWindowHistory create(int windows) {
        return create(windows, 0);
    }

    /** An empty history with room for {@code buckets} buckets. */
    static SlidingWindowHistory create(int windows, int buckets) {
        int capacity = INITIAL_CAPACITY;
        while (capacity < buckets) {
            capacity *= 2;
        }
        SlidingWindowHistory h = new SlidingWindowHistory();
        h.times = new long[capacity];
        h.counts = new long[capacity];
        h.values = new long[capacity];
        h.windowStart = new long[windows];
        h.windowCount = new long[windows];
        h.windowValue = new long[windows];
        h.lastRecorded = Long.MIN_VALUE;
        h.expiryTimer = Long.MIN_VALUE;
        return h;
    }

    /**
     * Counts one event at {@code time} with {@code value}. Events must come in non-decreasing time
     * order; equal times share a bucket.
     */
    public void record(long time, long value) {
        if (size > 0 && time == lastRecorded) {
            addAt(first + size - 1, 1, value);
            return;
        }
        if (size > 0 && time < lastRecorded) {
            throw new IllegalStateException(
                    "event time went backwards: " + time + " after " + lastRecorded);
        }
        if (size == times.length) {
            resize(times.length * 2);
        }
        int slot = slot(first + size);
        times[slot] = time;
        counts[slot] = 1;
        values[slot] = value;
        size++;
        lastRecorded = time;
    }

    /**
     * Moves the windows to {@code (now − lag − widths[k], now − lag]} and evicts the buckets at or
     * before {@code now − lag − max(widths) − margin}: those that left the widest window at least
     * {@code margin} ago. {@code now} must not decrease between calls; {@code widths} must be the
     * same on every call.
     */
    public void advanceTo(long now, long lag, long[] widths, long margin) {
        long end = now - lag;
        long last = first + size;
        while (windowEnd < last && times[slot(windowEnd)] <= end) {
            int slot = slot(windowEnd);
            for (int k = 0; k < widths.length; k++) {
                windowCount[k] += counts[slot];
                windowValue[k] += values[slot];
            }
            windowEnd++;
        }
        long widest = 0;
        for (int k = 0; k < widths.length; k++) {
            long start = end - widths[k];
            while (windowStart[k] < windowEnd && times[slot(windowStart[k])] <= start) {
                int slot = slot(windowStart[k]);
                windowCount[k] -= counts[slot];
                windowValue[k] -= values[slot];
                windowStart[k]++;
            }
            widest = Math.max(widest, widths[k]);
        }
        // Older than every window start, so no window sum holds these buckets any more.
        long horizon = end - widest - margin;
        long keep = first;
        while (keep < first + size && times[slot(keep)] <= horizon) {
            keep++;
        }
        evictBefore(keep);
    }

    /**
     * The buckets with times in {@code (completeAfter, asOf]} as an encoded {@code
     * WindowHistorySnapshot} ({@link WindowHistoryCodec}), read straight from the ring buffers.
     * When there are more than {@code maxBuckets}, it keeps the newest ones and moves completeAfter
     * to the newest dropped bucket, so the snapshot still says exactly which range it holds
     * completely. The caller guarantees that no bucket after {@code completeAfter} has been evicted
     * (eviction at {@link #advanceTo} is behind {@code completeAfter} when it uses the same lag,
     * widths and margin and an earlier {@code now}).
     */
    public byte[] encodedSnapshot(long asOf, long completeAfter, int maxBuckets) {
        long to = first + size;
        while (to > first && times[slot(to - 1)] > asOf) {
            to--;
        }
        long from = first;
        while (from < to && times[slot(from)] <= completeAfter) {
            from++;
        }
        long completeAfterKept = completeAfter;
        if (to - from > maxBuckets) {
            from = to - maxBuckets;
            completeAfterKept = times[slot(from - 1)];
        }
        return WindowHistoryCodec.encode(
                asOf, completeAfterKept, times, counts, values, slot(from), (int) (to - from));
    }

    /**
     * Adds {@code delta} to the value of the bucket at exactly {@code time}, and to the windows
     * that hold it. Returns false, changing nothing, when no such bucket is held (never recorded,
     * or evicted).
     */
    public boolean addValueAt(long time, long delta) {
        long lo = first;
        long hi = first + size - 1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            long t = times[slot(mid)];
            if (t < time) {
                lo = mid + 1;
            } else if (t > time) {
                hi = mid - 1;
            } else {
                addAt(mid, 0, delta);
                return true;
            }
        }
        return false;
    }

    public long windowCount(int window) {
        return windowCount[window];
    }

    public long windowValue(int window) {
        return windowValue[window];
    }

    /** Number of distinct event times held. */
    public int buckets() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * A deep copy holding the live buckets only, from logical index 0 and slot 0: the same windows
     * and buckets in as little room as {@link #create(int, int)} gives.
     */
    SlidingWindowHistory compactCopy() {
        SlidingWindowHistory copy = create(windowStart.length, size);
        copyBucketsTo(copy.times, copy.counts, copy.values);
        copy.size = size;
        for (int k = 0; k < windowStart.length; k++) {
            copy.windowStart[k] = windowStart[k] - first;
            copy.windowCount[k] = windowCount[k];
            copy.windowValue[k] = windowValue[k];
        }
        copy.windowEnd = windowEnd - first;
        copy.lastRecorded = lastRecorded;
        copy.expiryTimer = expiryTimer;
        return copy;
    }

    private void addAt(long index, long count, long value) {
        int slot = slot(index);
        counts[slot] += count;
        values[slot] += value;
        for (int k = 0; k < windowStart.length; k++) {
            if (index >= windowStart[k] && index < windowEnd) {
                windowCount[k] += count;
                windowValue[k] += value;
            }
        }
    }

    private void evictBefore(long index) {
        int evicted = (int) (index - first);
        if (evicted <= 0) {
            return;
        }
        head = (head + evicted) % times.length;
        size -= evicted;
        first = index;
        int capacity = times.length;
        while (capacity > INITIAL_CAPACITY && size < capacity / 4) {
            capacity /= 2;
        }
        if (capacity < times.length) {
            resize(capacity);
        }
    }

    private void resize(int capacity) {
        long[] newTimes = new long[capacity];
        long[] newCounts = new long[capacity];
        long[] newValues = new long[capacity];
        copyBucketsTo(newTimes, newCounts, newValues);
        times = newTimes;
        counts = newCounts;
        values = newValues;
        head = 0;
    }

    /** Copies the buckets, oldest first, to the start of the given arrays. */
    private void copyBucketsTo(long[] toTimes, long[] toCounts, long[] toValues) {
        for (int i = 0; i < size; i++) {
            int from = slot(first + i);
            toTimes[i] = times[from];
            toCounts[i] = counts[from];
            toValues[i] = values[from];
        }
    }

    int slot(long index) {
        return (int) ((head + (index - first)) % times.length);
    }

    @Override
    public String toString() {
        return "SlidingWindowHistory{buckets="
                + size
                + ", windowCount="
                + Arrays.toString(windowCount)
                + ", windowValue="
                + Arrays.toString(windowValue)
                + ", lastRecorded="
                + lastRecorded
                + '}';
    }
}
