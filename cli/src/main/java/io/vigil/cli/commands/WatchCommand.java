package io.vigil.cli.commands;

import io.vigil.cli.KafkaOptions;
import io.vigil.cli.KafkaTopics;
import io.vigil.cli.ShutdownSignal;
import io.vigil.cli.Usage;
import io.vigil.cli.WatchOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil watch}: every interval, the number of messages on the transactions topic and the
 * rate since the previous sample, from the partitions' offsets (no consumer group). Ctrl-C ends it
 * cleanly. {@code vigil watch decisions} summarizes the scoring job's decisions instead.
 */
@Command(
        name = "watch",
        description = {
            "Print the message count and rate of the transactions topic every second until Ctrl-C.",
            "vigil watch decisions: a live summary of the scoring job's decisions."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true,
        subcommands = {WatchDecisionsCommand.class})
public final class WatchCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Spec CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "Topic to watch (default: the transactions topic, <prefix>transactions).")
    String topic;

    @Mixin WatchOptions watch;

    private volatile boolean stopped;

    @Override
    public Integer call() {
        String watched =
                topic != null ? topic : Usage.check(spec, kafka::topics).transactions().name();
        Usage.check(
                spec,
                () -> {
                    watch.validate();
                    return watch;
                });
        PrintWriter out = spec.commandLine().getOut();
        try (ShutdownSignal signal = new ShutdownSignal(() -> stopped = true);
                KafkaTopics topics = new KafkaTopics(kafka)) {
            if (!topics.topicsWithPrefix(watched).contains(watched)) {
                throw new IllegalStateException(
                        "no topic "
                                + watched
                                + " at "
                                + kafka.bootstrap()
                                + " (start the stack with ./vigil up, or produce with vigil simulate)");
            }
            long previousEnd = -1;
            long previousNanos = 0;
            for (long n = 1; !stopped && watch.wants(n); n++) {
                if (n > 1) {
                    sleep(watch.interval());
                    if (stopped) {
                        break;
                    }
                }
                KafkaTopics.TopicCount count = topics.counts(List.of(watched)).get(watched);
                long now = System.nanoTime();
                String rate =
                        previousEnd < 0
                                ? "-"
                                : String.format(
                                        Locale.ROOT,
                                        "%,.0f/s",
                                        (count.endOffsets() - previousEnd)
                                                * 1e9
                                                / (now - previousNanos));
                out.printf(
                        Locale.ROOT,
                        "%s  %s  total %,d  rate %s%n",
                        LocalTime.now(ZoneOffset.UTC).format(TIME),
                        watched,
                        count.messages(),
                        rate);
                out.flush();
                previousEnd = count.endOffsets();
                previousNanos = now;
            }
        }
        return 0;
    }

    // Sleeps in short slices so Ctrl-C ends the wait promptly.
    private void sleep(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (!stopped && System.nanoTime() < end) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(end - System.nanoTime(), 100_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
