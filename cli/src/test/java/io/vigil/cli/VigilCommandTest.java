package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option parsing, validation and exit codes; nothing here needs a running Kafka. */
class VigilCommandTest {

    /** The outcome of one command line. */
    record Run(int exitCode, String out, String err) {
        /** stderr as lines, for the one-line-per-error rule. */
        String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\\R");
        }
    }

    static Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VigilCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void noSubcommandIsBadUsage() {
        Run run = vigil();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("vigil: a subcommand is required (see 'vigil --help')");
    }

    @Test
    void unknownOptionIsOneLineAndExit2() {
        Run run = vigil("simulate", "--bogus");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly(
                        "vigil simulate: Unknown option: '--bogus' (see 'vigil simulate --help')");
    }

    @Test
    void invalidValuesNameTheOptionAndTheAcceptedForms() {
        assertUsageError(
                vigil("simulate", "--time-mode", "live"),
                "'live' is not a time mode (simulated or wall-clock)");
        assertUsageError(
                vigil("simulate", "--label-delay", "7x"),
                "'7x' is not a duration (e.g. PT30S, P7D, 500ms, 30s, 5m, 2h, 7d)");
        assertUsageError(
                vigil("simulate", "--labels", "some"),
                "'some' is not a label policy (all, fraud-only or none)");
        assertUsageError(vigil("simulate", "--days", "many"), "'many' is not an int");
        assertUsageError(
                vigil("simulate", "--drift-amount-from", "soon", "--drift-amount-factor", "2"),
                "is neither a day number after the start (e.g. 90) nor an instant");
    }

    @Test
    void configValidationFailuresAreUsageErrors() {
        assertUsageError(
                vigil("simulate", "--stats-only", "--customers", "0"),
                "customers must be at least 1, got 0");
        assertUsageError(
                vigil("simulate", "--rate", "-5", "--bootstrap", "127.0.0.1:1"),
                "rate must be a number of transactions per second ≥ 0");
        assertUsageError(
                vigil("simulate", "--max-tx", "0", "--bootstrap", "127.0.0.1:1"),
                "max transactions must be at least 1, got 0");
        assertUsageError(
                vigil("simulate", "--topic-prefix", "bad prefix ", "--bootstrap", "127.0.0.1:1"),
                "illegal Kafka topic name");
        assertUsageError(
                vigil("simulate", "--stats-only", "--start", "2018-04-01T10:00:00Z"),
                "start must be a UTC midnight, got 2018-04-01T10:00:00Z");
        assertUsageError(
                vigil(
                        "simulate",
                        "--stats-only",
                        "--drift-night-fraud-from",
                        "10",
                        "--drift-night-fraud-share",
                        "2"),
                "night fraud share must be in (0, 1], got 2.0");
        assertUsageError(
                vigil("simulate", "--log-interval", "0s", "--bootstrap", "127.0.0.1:1"),
                "log interval must be positive, got PT0S");
        assertUsageError(
                vigil("watch", "--interval", "0s", "--bootstrap", "127.0.0.1:1"),
                "--interval must be positive, got PT0S");
        assertUsageError(
                vigil("bench", "produce", "--count", "0", "--bootstrap", "127.0.0.1:1"),
                "max transactions must be at least 1, got 0");
    }

    @Test
    void aDriftNeedsItsStart() {
        assertUsageError(
                vigil("simulate", "--stats-only", "--drift-amount-factor", "2"),
                "Error: Missing required argument(s): --drift-amount-from");
    }

    @Test
    void replayNeedsAFile() {
        assertUsageError(vigil("replay"), "Missing required parameter: 'FILE'");
    }

    @Test
    void aMissingFileIsARuntimeFailureInOneLine(@TempDir Path dir) {
        Path missing = dir.resolve("nope.csv.gz");

        Run run = vigil("replay", missing.toString(), "--bootstrap", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).containsExactly("vigil: " + missing + ": no such file");
    }

    @Test
    void anUnreachableKafkaFailsWithTheAddressInOneLine() {
        Run run = vigil("topics", "count", "--bootstrap", "127.0.0.1:1", "--kafka-timeout", "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err())
                .startsWith("vigil: no answer from Kafka at 127.0.0.1:1 within 1 s (list topics)");
    }

    @Test
    void theRetrainFollowerFailsAtStartOnAnUnreachableKafka() {
        Run run =
                vigil(
                        "retrain",
                        "follow",
                        "--bootstrap",
                        "127.0.0.1:1",
                        "--kafka-timeout",
                        "1s",
                        "--registry",
                        "target/no-registry");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("vigil: no answer from Kafka at 127.0.0.1:1 within 1 s");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Run run =
                vigil(
                        "topics",
                        "count",
                        "--verbose",
                        "--bootstrap",
                        "127.0.0.1:1",
                        "--kafka-timeout",
                        "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("at io.vigil.cli.KafkaTopics");
    }

    @Test
    void statsOnlyRunsWithoutKafka() {
        Run run =
                vigil(
                        "simulate",
                        "--stats-only",
                        "--days",
                        "20",
                        "--customers",
                        "200",
                        "--terminals",
                        "400",
                        "--drift-amount-from",
                        "10",
                        "--drift-amount-factor",
                        "3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .startsWith("simulated 20 days, 200 customers, 400 terminals, seed 0 in ")
                .contains("transactions ", "frauds ", "fraud rate ", "scenario 1 ")
                .contains("(published figures are compared only for the handbook's parameters)");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void helpAndVersionExitZero() {
        Run help = vigil("simulate", "--help");
        Run version = vigil("--version");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("--bootstrap", "--rate", "--drift-amount-factor", "--stats-only");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("vigil ");
    }

    private static void assertUsageError(Run run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).contains(message);
    }
}
