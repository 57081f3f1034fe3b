package io.vigil.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT/SIGTERM) handling for a running command: the hook asks the command to stop, then
 * holds the JVM open (up to 20 s) until the command has flushed, closed its clients and printed its
 * summary, so nothing acknowledged is lost and the output is complete.
 */
public final class ShutdownSignal implements AutoCloseable {

    private static final long GRACE_SECONDS = 20;

    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean signalled;

    public ShutdownSignal(Runnable stop) {
        this.hook =
                new Thread(
                        () -> {
                            signalled = true;
                            stop.run();
                            try {
                                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the run was cut short by a signal. */
    public boolean signalled() {
        return signalled;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: counting down above lets it, and the JVM, finish.
        }
    }
}
