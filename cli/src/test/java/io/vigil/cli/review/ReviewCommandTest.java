package io.vigil.cli.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.commands.ReviewCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Option validation of {@code vigil review ...}: refused before any service is contacted. */
class ReviewCommandTest {

    @Test
    void badOptionsAreUsageErrorsThatSayWhy() {
        assertUsageError(run("approve", "a1"), "Missing required option: '--reviewer=NAME'");
        assertUsageError(run("reject", "--reviewer", "bob"), "Missing required parameter");
        assertUsageError(run("list", "--status", "open"), "'open' is not an alert status");
        assertUsageError(
                run("approve", "a1", "--reviewer", "a", "--train-from", "yesterday"),
                "--train-from");
        assertUsageError(
                run(
                        "approve",
                        "a1",
                        "--reviewer",
                        "a",
                        "--train-from",
                        "2018-06-01T00:00:00Z",
                        "--train-to",
                        "2018-05-01T00:00:00Z"),
                "train_from 2018-06-01T00:00:00Z must be before train_to 2018-05-01T00:00:00Z");
        assertUsageError(run("approve", "a1", "a1", "--reviewer", "a"), "alert a1 is listed twice");
        assertUsageError(
                run("list", "--url", "ftp://127.0.0.1/"),
                "--url ftp://127.0.0.1/ is not an http(s) URL");
        assertUsageError(
                run("serve", "--port", "70000", "--bootstrap", "127.0.0.1:1"),
                "--port must be 0..65535, got 70000");
        assertUsageError(
                run("serve", "--reviewer-header", "X User", "--bootstrap", "127.0.0.1:1"),
                "--reviewer-header 'X User' is not an HTTP header name");
        assertUsageError(
                run(
                        "serve",
                        "--public-origin",
                        "https://review.example.com",
                        "--public-origin",
                        "https://review.example.com/queue",
                        "--bootstrap",
                        "127.0.0.1:1"),
                "--public-origin 'https://review.example.com/queue' is not an origin");
    }

    @Test
    void aGroupWithoutSubcommandIsAUsageError() {
        assertUsageError(run(), "a subcommand is required");
    }

    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new ReviewCommand());
        command.setOut(new PrintWriter(new StringWriter(), true));
        command.setErr(new PrintWriter(err, true));
        return new Run(command.execute(args), err.toString());
    }

    private static void assertUsageError(Run run, String message) {
        assertThat(run.exit()).as(run.err()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(run.err()).contains(message);
    }
}
