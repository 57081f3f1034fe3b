package io.vigil.cli.commands;

import io.vigil.cli.Converters;
import io.vigil.cli.FeedOptions;
import io.vigil.cli.KafkaFeedRunner;
import io.vigil.cli.KafkaOptions;
import io.vigil.cli.Progress;
import io.vigil.cli.Usage;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.simulator.Drift;
import io.vigil.simulator.SimulationStatistics;
import io.vigil.simulator.SimulatorConfig;
import io.vigil.simulator.feed.FeedConfig;
import io.vigil.simulator.generator.TransactionGenerator;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil simulate}: generates Fraud Detection Handbook transactions and produces them with
 * their labels to Kafka, or with {@code --stats-only} just prints the statistics of the run.
 */
@Command(
        name = "simulate",
        description = {
            "Generate handbook transactions (and their labels) into Kafka.",
            "With --stats-only, generate without Kafka and print counts against the published"
                    + " dataset."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class SimulateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin KafkaOptions kafka;

    @Mixin FeedOptions feed;

    @Option(
            names = "--customers",
            defaultValue = "5000",
            description = "Customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--terminals",
            defaultValue = "10000",
            description = "Terminals (default: ${DEFAULT-VALUE}).")
    int terminals;

    @Option(
            names = "--days",
            defaultValue = "183",
            description = "Simulated days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(
            names = "--start",
            defaultValue = "2018-04-01T00:00:00Z",
            description = "First simulated day, a UTC midnight (default: ${DEFAULT-VALUE}).")
    Instant start;

    @Option(
            names = "--radius",
            defaultValue = "5",
            description = "Terminal reach of a customer (default: ${DEFAULT-VALUE}).")
    double radius;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Random seed; same seed, same stream (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-fraud", description = "Switch the handbook's fraud scenarios 1-3 off.")
    boolean noFraud;

    @Option(
            names = "--stats-only",
            description =
                    "Do not connect to Kafka: generate and print counts, frauds per scenario and the"
                            + " difference to the published dataset.")
    boolean statsOnly;

    @ArgGroup(exclusive = false, heading = "%nDrift: amount shift%n")
    AmountShiftOptions amountShift;

    @ArgGroup(exclusive = false, heading = "%nDrift: new night-time fraud pattern (scenario 4)%n")
    NightFraudOptions nightFraud;

    @ArgGroup(exclusive = false, heading = "%nDrift: change of terminal mix%n")
    TerminalMixOptions terminalMix;

    /** --drift-amount-factor with --drift-amount-from. */
    static final class AmountShiftOptions {
        @Option(
                names = "--drift-amount-from",
                required = true,
                paramLabel = "DAY|INSTANT",
                converter = Converters.DriftStartConverter.class,
                description = "From this day number (after --start) or instant on...")
        Converters.DriftStart from;

        @Option(
                names = "--drift-amount-factor",
                required = true,
                paramLabel = "FACTOR",
                description = "...multiply every amount by FACTOR (e.g. 1.5).")
        double factor;
    }

    /** --drift-night-fraud-from and its parameters. */
    static final class NightFraudOptions {
        @Option(
                names = "--drift-night-fraud-from",
                required = true,
                paramLabel = "DAY|INSTANT",
                converter = Converters.DriftStartConverter.class,
                description = "From this day number or instant on, night-time (00-06 UTC) fraud...")
        Converters.DriftStart from;

        @Option(
                names = "--drift-night-fraud-terminals",
                defaultValue = "0.05",
                paramLabel = "SHARE",
                description = "...on this share of terminals (default: ${DEFAULT-VALUE})...")
        double terminalShare;

        @Option(
                names = "--drift-night-fraud-share",
                defaultValue = "0.5",
                paramLabel = "SHARE",
                description =
                        "...hitting this share of their night transactions (default: ${DEFAULT-VALUE})...")
        double fraudShare;

        @Option(
                names = "--drift-night-fraud-amount-factor",
                defaultValue = "3",
                paramLabel = "FACTOR",
                description = "...with amounts multiplied by FACTOR (default: ${DEFAULT-VALUE}).")
        double amountFactor;
    }

    /** --drift-terminal-mix-from and its parameters. */
    static final class TerminalMixOptions {
        @Option(
                names = "--drift-terminal-mix-from",
                required = true,
                paramLabel = "DAY|INSTANT",
                converter = Converters.DriftStartConverter.class,
                description = "From this day number or instant on, customers prefer...")
        Converters.DriftStart from;

        @Option(
                names = "--drift-terminal-mix-terminals",
                defaultValue = "0.1",
                paramLabel = "SHARE",
                description = "...a popular share of terminals (default: ${DEFAULT-VALUE})...")
        double terminalShare;

        @Option(
                names = "--drift-terminal-mix-preference",
                defaultValue = "0.8",
                paramLabel = "P",
                description =
                        "...which they pick with probability P when one is in reach (default: ${DEFAULT-VALUE}).")
        double preference;
    }

    @Override
    public Integer call() {
        SimulatorConfig config = Usage.check(spec, this::simulatorConfig);
        PrintWriter out = spec.commandLine().getOut();
        if (statsOnly) {
            printStatistics(config, out);
            return 0;
        }
        FeedConfig feedConfig = Usage.check(spec, feed::feedConfig);
        TopicRegistry topics = Usage.check(spec, kafka::topics);
        Progress.Mode progressMode = Usage.check(spec, feed::progressMode);
        TransactionGenerator generator = new TransactionGenerator(config);
        new KafkaFeedRunner(kafka, feed, out, spec.commandLine().getErr())
                .run(feedConfig, topics, progressMode, generator, generator.expectedTransactions());
        return 0;
    }

    SimulatorConfig simulatorConfig() {
        SimulatorConfig.Builder builder =
                SimulatorConfig.builder()
                        .customers(customers)
                        .terminals(terminals)
                        .days(days)
                        .start(start)
                        .radius(radius)
                        .seed(seed)
                        .fraudScenarios(!noFraud);
        if (amountShift != null) {
            builder.drift(
                    new Drift.AmountShift(amountShift.from.resolve(start), amountShift.factor));
        }
        if (nightFraud != null) {
            builder.drift(
                    new Drift.NightFraud(
                            nightFraud.from.resolve(start),
                            nightFraud.terminalShare,
                            nightFraud.fraudShare,
                            nightFraud.amountFactor));
        }
        if (terminalMix != null) {
            builder.drift(
                    new Drift.TerminalMix(
                            terminalMix.from.resolve(start),
                            terminalMix.terminalShare,
                            terminalMix.preference));
        }
        return builder.build();
    }

    private static void printStatistics(SimulatorConfig config, PrintWriter out) {
        long startNanos = System.nanoTime();
        SimulationStatistics stats = new SimulationStatistics();
        new TransactionGenerator(config).forEachRemaining(stats::accept);
        boolean handbookRun =
                config.customers() == 5_000
                        && config.terminals() == 10_000
                        && config.days() == 183
                        && config.radius() == 5
                        && config.fraudScenarios()
                        && config.drifts().isEmpty();
        out.printf(
                Locale.ROOT,
                "simulated %d days, %,d customers, %,d terminals, seed %d in %.1f s%n",
                config.days(),
                config.customers(),
                config.terminals(),
                config.seed(),
                (System.nanoTime() - startNanos) / 1e9);
        out.print(stats.report(handbookRun));
        if (!handbookRun) {
            out.println("(published figures are compared only for the handbook's parameters)");
        }
        out.flush();
    }
}
