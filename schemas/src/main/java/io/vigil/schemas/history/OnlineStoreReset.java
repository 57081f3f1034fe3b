package io.vigil.schemas.history;

import java.nio.charset.StandardCharsets;

/**
 * The online store's answer to "is an entity without a history snapshot new, or was its snapshot
 * lost?". The feature job keeps one Redis key per Feast project, {@code <project>:vigil:reset_at},
 * written with SET NX by every batch of its Redis writers, so it exists as long as the store holds
 * the job's writes: {@code 0} when the job built the store from its first write (a job started
 * without state), else, when a writer found the key missing (a job restored from a checkpoint, or a
 * store that was emptied or replaced while it ran), the latest event time that writer had written.
 * Event time, because the scoring job compares it with a transaction's windows; replays of old data
 * work the same way. Before that time the store may have lost snapshots; entities written since
 * have complete ones again.
 *
 * <p>The scoring job trusts a missing snapshot as "no history" only if the key exists and is older
 * than the window the snapshot would cover.
 */
public final class OnlineStoreReset {

    /** The value of a store that the feature job built from its start. */
    public static final long NEVER = 0;

    /** What a lookup reports when the key does not exist. */
    public static final long UNKNOWN = -1;

    private OnlineStoreReset() {}

    public static byte[] key(String project) {
        return (project + ":vigil:reset_at").getBytes(StandardCharsets.US_ASCII);
    }

    /** The stored value, or {@link #UNKNOWN} for a missing or unreadable one. */
    public static long parse(byte[] value) {
        if (value == null) {
            return UNKNOWN;
        }
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    /**
     * Whether an entity without a snapshot truly has no history over {@code (from, …]}: the store
     * holds the feature job's writes and lost none since before {@code from}.
     */
    public static boolean vouchesForAbsence(long resetAtMillis, long fromMillis) {
        return resetAtMillis != UNKNOWN && resetAtMillis <= fromMillis;
    }
}
