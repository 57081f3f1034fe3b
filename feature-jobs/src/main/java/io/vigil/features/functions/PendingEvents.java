package io.vigil.features.functions;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/** Events buffered by event time until the watermark passes it, one list per distinct time. */
final class PendingEvents {

    private PendingEvents() {}

    static <T> void add(MapState<Long, List<T>> pending, long time, T event) throws Exception {
        List<T> events = pending.get(time);
        if (events == null) {
            events = new ArrayList<>(2);
        }
        events.add(event);
        // Written back even when present: the heap backend copies on write for snapshots.
        pending.put(time, events);
    }

    /** Removes and returns the events buffered at {@code time}, or null when there are none. */
    static <T> List<T> take(MapState<Long, List<T>> pending, long time) throws Exception {
        List<T> events = pending.get(time);
        if (events != null) {
            pending.remove(time);
        }
        return events;
    }
}
