package io.vigil.cli.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.commands.GuardCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option validation of {@code vigil guard}: refused before any Kafka client starts. */
class GuardCommandTest {

    @Test
    void limitsPeriodsAndPortsAreChecked() {
        assertUsageError(
                guard("--max-error-rate", "1"), "--max-error-rate must be in [0, 1), got 1.0");
        assertUsageError(
                guard("--max-decline-rate", "-0.5"),
                "--max-decline-rate must be in [0, 1), got -0.5");
        assertUsageError(
                guard("--min-decisions", "0"), "--min-decisions must be at least 1, got 0");
        assertUsageError(guard("--window", "0s"), "--window must be at least 1s, got PT0S");
        assertUsageError(
                guard("--evaluate-every", "0s"), "--evaluate-every must be positive, got PT0S");
        assertUsageError(
                guard("--metrics-port", "70000"),
                "--metrics-port must be in [0, 65535], got 70000");
        assertUsageError(guard("--actor", " "), "--actor must not be blank");
    }

    @Test
    void theGuardPublishesModelEventsSoItNeedsANamedCluster() {
        Result run = run("--registry", "target/no-registry");

        assertUsageError(
                run,
                "the scoring job swaps models on the model events the guard publishes: name the"
                        + " Kafka cluster with --bootstrap or $VIGIL_BOOTSTRAP");
    }

    private record Result(int exitCode, String err) {}

    private static Result guard(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap", "127.0.0.1:1"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GuardCommand());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), err.toString());
    }

    private static void assertUsageError(Result run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }
}
