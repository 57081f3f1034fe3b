package io.vigil.simulator.feed;

import java.util.concurrent.locks.LockSupport;

/** The time a feed paces by; replaced by a manual clock in tests so they need not sleep. */
public interface FeedClock {

    FeedClock SYSTEM =
            new FeedClock() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public long currentTimeMillis() {
                    return System.currentTimeMillis();
                }

                @Override
                public void sleepNanos(long nanos) {
                    LockSupport.parkNanos(nanos);
                }
            };

    /** Monotonic time for pacing. */
    long nanoTime();

    /** Wall-clock time for event times in {@link TimeMode#WALL_CLOCK}. */
    long currentTimeMillis();

    void sleepNanos(long nanos);
}
