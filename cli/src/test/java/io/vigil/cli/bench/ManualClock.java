package io.vigil.cli.bench;

import io.vigil.simulator.feed.FeedClock;

/** A clock that moves only when slept on or advanced: pacing tests run instantly. */
final class ManualClock implements FeedClock {

    private static final long EPOCH_MILLIS = 1_700_000_000_000L;

    private long nanos = 5_000_000_000L;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return EPOCH_MILLIS + nanos / 1_000_000;
    }

    @Override
    public void sleepNanos(long sleep) {
        nanos += sleep;
    }

    void advanceMillis(long millis) {
        nanos += millis * 1_000_000;
    }
}
