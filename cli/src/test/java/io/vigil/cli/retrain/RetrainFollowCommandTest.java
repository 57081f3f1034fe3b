package io.vigil.cli.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.commands.RetrainCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option validation of {@code retrain follow}: refused before any Kafka client starts. */
class RetrainFollowCommandTest {

    @Test
    void aCanaryNeedsAShareAndAShadowHasNone() {
        assertUsageError(
                follow("--challenger-mode", "canary"),
                "a canary challenger needs --canary-share in (0, 1], e.g. --canary-share 0.1, got"
                        + " null");
        assertUsageError(
                follow("--challenger-mode", "canary", "--canary-share", "1.5"),
                "a canary challenger needs --canary-share in (0, 1]");
        assertUsageError(
                follow("--canary-share", "0.1"),
                "--canary-share is only for --challenger-mode canary");
        assertUsageError(
                follow("--challenger-mode", "live"),
                "'live' is not a challenger mode (shadow or canary)");
    }

    @Test
    void periodsCountsAndPortsAreChecked() {
        assertUsageError(follow("--train-days", "0d"), "--train-days must be positive, got PT0S");
        assertUsageError(
                follow("--label-delay", "-P1D"), "--label-delay must not be negative, got PT-24H");
        assertUsageError(
                follow("--max-requests", "-1"), "--max-requests must be at least 0, got -1");
        assertUsageError(
                follow("--metrics-port", "70000"),
                "--metrics-port must be in [0, 65535], got 70000");
        assertUsageError(follow("--group-id", " "), "--group-id must not be blank");
        assertUsageError(
                follow("--retry-backoff", "0s"), "--retry-backoff must be positive, got PT0S");
        assertUsageError(
                follow("--retry-backoff", "1m", "--retry-backoff-max", "10s"),
                "--retry-backoff-max PT10S must not be shorter than --retry-backoff PT1M");
    }

    @Test
    void theTrainingOptionsAreCheckedAtStartNotPerRequest() {
        assertUsageError(follow("--validation", "0d"), "--validation must be positive, got PT0S");
        assertUsageError(follow("--k", "0"), "--k must be at least 1, got 0");
        assertUsageError(
                follow("--validation", "P7D"),
                "--validation PT168H must be shorter than --train-days PT168H: a derived window"
                        + " would leave nothing to train on");
    }

    @Test
    void theFollowerPublishesModelEventsSoItNeedsANamedCluster() {
        Result run = run("follow", "--registry", "target/no-registry");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains(
                        "the scoring job swaps models on the model events the follower publishes:"
                                + " name the Kafka cluster with --bootstrap or $VIGIL_BOOTSTRAP");
    }

    private record Result(int exitCode, String err) {}

    private static Result follow(String... args) {
        List<String> all = new ArrayList<>(List.of("follow", "--bootstrap", "127.0.0.1:1"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RetrainCommand());
        cli.setCaseInsensitiveEnumValuesAllowed(true); // as the vigil root command sets it
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), err.toString());
    }

    private static void assertUsageError(Result run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }
}
