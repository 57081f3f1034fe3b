package io.vigil.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of a long run on stderr: a bar redrawn in place (rate, done/total, ETA) when stderr is a
 * terminal or the bar is forced, otherwise one log line per interval so logs stay readable. Java 17
 * cannot ask whether stderr alone is a terminal; a console (stdin and stdout interactive) is taken
 * as the sign.
 */
public final class Progress implements AutoCloseable {

    private static final long BAR_REFRESH_MILLIS = 250;
    private static final int BAR_WIDTH = 30;

    /** Bar or log lines, and the log interval. */
    public record Mode(boolean bar, Duration logInterval) {
        public static Mode choose(boolean forceBar, Duration logInterval) {
            if (logInterval.isZero() || logInterval.isNegative()) {
                throw new IllegalArgumentException(
                        "log interval must be positive, got " + logInterval);
            }
            return new Mode(forceBar || System.console() != null, logInterval);
        }
    }

    private final Mode mode;
    private final PrintWriter err;
    private final String unit;
    private final LongSupplier done;
    private final long total;
    private final ScheduledExecutorService timer;
    private final long startNanos = System.nanoTime();
    private long lastDone;
    private long lastNanos = startNanos;
    private double recentRate;

    /**
     * @param total expected count, or a negative number when unknown (no percentage, no ETA)
     */
    public Progress(Mode mode, PrintWriter err, String unit, LongSupplier done, long total) {
        this.mode = mode;
        this.err = err;
        this.unit = unit;
        this.done = done;
        this.total = total;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "vigil-progress");
                            t.setDaemon(true);
                            return t;
                        });
        long period = mode.bar() ? BAR_REFRESH_MILLIS : mode.logInterval().toMillis();
        timer.scheduleAtFixedRate(this::show, period, period, TimeUnit.MILLISECONDS);
    }

    private synchronized void show() {
        long now = System.nanoTime();
        long count = done.getAsLong();
        double interval = (now - lastNanos) / 1e9;
        if (interval > 0) {
            double rate = (count - lastDone) / interval;
            recentRate = recentRate == 0 ? rate : 0.7 * recentRate + 0.3 * rate;
        }
        lastDone = count;
        lastNanos = now;
        if (mode.bar()) {
            err.print("\r" + line(count, now) + "   ");
        } else {
            err.println("progress: " + line(count, now));
        }
        err.flush();
    }

    String line(long count, long now) {
        double elapsed = (now - startNanos) / 1e9;
        double averageRate = elapsed > 0 ? count / elapsed : 0;
        StringBuilder s = new StringBuilder();
        if (total > 0) {
            double fraction = Math.min(1, (double) count / total);
            if (mode.bar()) {
                int filled = (int) Math.round(fraction * BAR_WIDTH);
                s.append('[')
                        .append("#".repeat(filled))
                        .append("-".repeat(BAR_WIDTH - filled))
                        .append("] ");
            }
            s.append(
                    String.format(
                            Locale.ROOT,
                            "%5.1f%%  %,d/%,d %s",
                            100 * fraction,
                            count,
                            total,
                            unit));
        } else {
            s.append(String.format(Locale.ROOT, "%,d %s", count, unit));
        }
        s.append(String.format(Locale.ROOT, "  %,.0f %s/s", recentRate, unit));
        if (total > 0 && averageRate > 0 && count < total) {
            s.append("  ETA ").append(clock((long) ((total - count) / averageRate)));
        }
        return s.toString();
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(
                        Locale.ROOT,
                        "%d:%02d:%02d",
                        seconds / 3600,
                        seconds / 60 % 60,
                        seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** Stops updating; the bar gets a final state and its own line. */
    @Override
    public void close() {
        timer.shutdownNow();
        if (mode.bar()) {
            synchronized (this) {
                show();
                err.println();
                err.flush();
            }
        }
    }
}
