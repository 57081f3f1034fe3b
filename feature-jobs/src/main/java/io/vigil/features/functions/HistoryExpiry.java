package io.vigil.features.functions;

import io.vigil.features.state.SlidingWindowHistory;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * One event-time timer per entity that drops its history once no window can reach it: armed when
 * the history is first recorded, and when it fires re-armed to the last record + retention if the
 * entity was active meanwhile. Timers are never deleted, because a release timer may share the same
 * timestamp.
 *
 * <p>Works on the history the caller already read, so a timer costs one state read and at most one
 * write (each a full decode or encode with RocksDB).
 */
final class HistoryExpiry {

    private static final long NONE = Long.MIN_VALUE;

    private HistoryExpiry() {}

    /** Arms the timer of a history that has none, after recording at {@code time}. */
    static void schedule(
            SlidingWindowHistory history, long time, long retentionMillis, TimerService timers) {
        if (history.expiryTimer == NONE) {
            history.expiryTimer = time + retentionMillis;
            timers.registerEventTimeTimer(history.expiryTimer);
        }
    }

    /**
     * Handles a timer at {@code timestamp} for {@code history}, the value the caller read from
     * {@code state} (null when the entity has none) and {@code changed} since, then stores it:
     * cleared if expired, written back if changed or re-armed. Returns true if it dropped the
     * history.
     */
    static boolean onTimer(
            ValueState<SlidingWindowHistory> state,
            SlidingWindowHistory history,
            boolean changed,
            long timestamp,
            long retentionMillis,
            TimerService timers)
            throws Exception {
        if (history != null && history.expiryTimer == timestamp) {
            long due = history.lastRecorded + retentionMillis;
            if (timestamp >= due) {
                state.clear();
                return true;
            }
            history.expiryTimer = due;
            timers.registerEventTimeTimer(due);
            changed = true;
        }
        if (changed) {
            state.update(history);
        }
        return false;
    }
}
