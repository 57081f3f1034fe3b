package io.vigil.cli.commands;

import io.vigil.cli.Converters;
import io.vigil.cli.KafkaOptions;
import io.vigil.cli.ShutdownSignal;
import io.vigil.cli.Usage;
import io.vigil.cli.guard.GuardLimits;
import io.vigil.cli.guard.GuardLoop;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil guard}: the automatic rollback. Reads the decisions and undoes a model change whose
 * live figures breach the limits ({@link io.vigil.cli.guard.RollbackGuard}). Runs until
 * SIGINT/SIGTERM.
 */
@Command(
        name = "guard",
        description = {
            "Watch the decisions and roll back a bad model change automatically.",
            "Over the last --window of decisions (since the version took its role, if later), with"
                    + " at least --min-decisions: a serving version whose share of failed"
                    + " inferences exceeds --max-error-rate, or whose share of declines among the"
                    + " transactions it decided exceeds --max-decline-rate, is in breach.",
            "A champion in breach within --probation of taking its role is rolled back to the"
                    + " previous champion; a canary challenger in breach becomes a shadow (it stops"
                    + " deciding, still scored). Otherwise the breach is reported only. Each change"
                    + " is refused by the registry if the roles changed since they were read, is"
                    + " audited with the figures as its reason, and reaches the scoring job as a"
                    + " model event."
        },
        footer = {
            "",
            "Metrics on http://<host>:--metrics-port/metrics: vigil_guard_breaches_total{model,"
                    + "role,limit,action}, vigil_guard_error_rate, vigil_guard_decline_rate and"
                    + " vigil_guard_window_inferences{model,version,role},"
                    + " vigil_guard_decisions_total, vigil_guard_last_evaluation_timestamp_seconds.",
            "Model events go to <prefix>model-events: --bootstrap or $VIGIL_BOOTSTRAP must name"
                    + " the Kafka cluster."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class GuardCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--max-error-rate",
            paramLabel = "SHARE",
            defaultValue = "0.01",
            description =
                    "Most inferences of a version that may fail, in [0, 1) (default:"
                            + " ${DEFAULT-VALUE}).")
    double maxErrorRate;

    @Option(
            names = "--max-decline-rate",
            paramLabel = "SHARE",
            defaultValue = "0.05",
            description =
                    "Most of the transactions a version decides that it may decline, in [0, 1)"
                            + " (default: ${DEFAULT-VALUE}).")
    double maxDeclineRate;

    @Option(
            names = "--min-decisions",
            paramLabel = "N",
            defaultValue = "200",
            description =
                    "Fewest inferences (decided transactions, for the decline rate) in the window"
                            + " before a version is judged (default: ${DEFAULT-VALUE}).")
    long minDecisions;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            defaultValue = "5m",
            converter = Converters.DurationConverter.class,
            description = "How far back the figures reach (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(
            names = "--probation",
            paramLabel = "DURATION",
            defaultValue = "1h",
            converter = Converters.DurationConverter.class,
            description =
                    "How long after taking its role a champion is rolled back automatically"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration probation;

    @Option(
            names = "--evaluate-every",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = Converters.DurationConverter.class,
            description = "How often the serving versions are judged (default: ${DEFAULT-VALUE}).")
    Duration evaluateEvery;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9263",
            description = "Port of /metrics (default: ${DEFAULT-VALUE}; 0: no metrics server).")
    int metricsPort;

    @Option(
            names = "--actor",
            paramLabel = "WHO",
            defaultValue = "vigil-guard",
            description =
                    "Who the registry changes are by, for the audit log (default: ${DEFAULT-VALUE}).")
    String actor;

    @Mixin ModelRegistryOptions where;

    @Mixin KafkaOptions kafka;

    private volatile boolean stopped;

    @Override
    public Integer call() {
        String topic = Usage.check(spec, () -> kafka.topics().decisions().name());
        GuardLimits limits =
                Usage.check(
                        spec,
                        () ->
                                new GuardLimits(
                                        maxErrorRate,
                                        maxDeclineRate,
                                        minDecisions,
                                        window,
                                        probation));
        Usage.check(spec, this::validate);
        if (!ModelRegistryWriter.publishes(spec)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "the scoring job swaps models on the model events the guard publishes: name"
                            + " the Kafka cluster with --bootstrap or $VIGIL_BOOTSTRAP");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The signal closes last, so a SIGTERM waits for the loop to finish its poll.
        try (ShutdownSignal signal = new ShutdownSignal(() -> stopped = true);
                ModelRegistryWriter writer = ModelRegistryWriter.open(spec, where, kafka, false);
                GuardLoop service =
                        GuardLoop.start(
                                writer.registry(),
                                limits,
                                actor,
                                metricsPort == 0 ? null : metricsPort,
                                kafka.clientProperties(),
                                topic,
                                evaluateEvery,
                                out,
                                err,
                                Clock.systemUTC())) {
            out.println(
                    "guarding "
                            + topic
                            + " at "
                            + kafka.bootstrap()
                            + "; registry "
                            + writer.registry().root().toAbsolutePath()
                            + (metricsPort == 0
                                    ? "; no metrics server"
                                    : "; metrics on port " + service.metricsPort()));
            out.flush();
            service.run(() -> stopped);
            out.println("stopped" + (signal.signalled() ? " (interrupted)" : ""));
            out.flush();
        }
        return 0;
    }

    private Void validate() {
        if (evaluateEvery.isNegative() || evaluateEvery.isZero()) {
            throw new IllegalArgumentException(
                    "--evaluate-every must be positive, got " + evaluateEvery);
        }
        if (metricsPort < 0 || metricsPort > 65_535) {
            throw new IllegalArgumentException(
                    "--metrics-port must be in [0, 65535], got " + metricsPort);
        }
        if (actor.isBlank()) {
            throw new IllegalArgumentException("--actor must not be blank");
        }
        return null;
    }
}
