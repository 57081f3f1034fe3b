package io.vigil.cli.watch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} distinct transaction ids, to drop the duplicates of at-least-once
 * delivery (a restarted job re-emits the decisions since its last checkpoint, so duplicates follow
 * their originals closely). Memory is about 100 bytes per id.
 */
public final class RecentIds {

    private final Map<String, Boolean> ids;

    public RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("dedupe window must be ≥ 1, got " + capacity);
        }
        this.ids =
                new LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > capacity;
                    }
                };
    }

    /** True the first time {@code id} is seen within the window, false for a repeat. */
    public boolean firstSeen(String id) {
        return ids.putIfAbsent(id, Boolean.TRUE) == null;
    }
}
