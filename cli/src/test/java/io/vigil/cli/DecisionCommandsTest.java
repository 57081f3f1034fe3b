package io.vigil.cli;

import static io.vigil.cli.VigilCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCommandTest.Run;
import org.junit.jupiter.api.Test;

/** Usage errors of {@code vigil bench e2e} and {@code vigil watch decisions}; no servers needed. */
class DecisionCommandsTest {

    @Test
    void benchE2eValidatesItsConfigurationBeforeAnyKafkaAccess() {
        assertOneLine(
                vigil("bench", "e2e", "--rates", "1000,0", "--bootstrap", "127.0.0.1:1"),
                2,
                "vigil bench e2e: --rates must be transactions per second ≥ 1, got 0 (see 'vigil"
                        + " bench e2e --help')");
        assertOneLine(
                vigil("bench", "e2e", "--duration", "0s", "--bootstrap", "127.0.0.1:1"),
                2,
                "vigil bench e2e: --duration must be positive, got PT0S (see 'vigil bench e2e"
                        + " --help')");
        assertOneLine(
                vigil("bench", "e2e", "--grace", "soon"),
                2,
                "vigil bench e2e: Invalid value for option '--grace': 'soon' is not a duration"
                        + " (e.g. PT30S, P7D, 500ms, 30s, 5m, 2h, 7d) (see 'vigil bench e2e"
                        + " --help')");
    }

    @Test
    void benchE2eNamesTheBrokerItCannotReach() {
        // An empty --kafka-properties (an exported but empty $VIGIL_KAFKA_PROPERTIES) means none.
        assertOneLine(
                vigil(
                        "bench",
                        "e2e",
                        "--bootstrap",
                        "127.0.0.1:1",
                        "--kafka-timeout",
                        "1s",
                        "--kafka-properties",
                        ""),
                1,
                "vigil: no answer from Kafka at 127.0.0.1:1 within 1 s (list topics); is it"
                        + " running? (./vigil up, or --bootstrap / $VIGIL_BOOTSTRAP); does it need"
                        + " client settings? (--kafka-properties)");
    }

    @Test
    void watchDecisionsValidatesItsOptions() {
        assertOneLine(
                vigil("watch", "decisions", "--interval", "0s"),
                2,
                "vigil watch decisions: --interval must be positive, got PT0S (see 'vigil watch"
                        + " decisions --help')");
        assertOneLine(
                vigil("watch", "decisions", "--dedupe-window", "0"),
                2,
                "vigil watch decisions: --dedupe-window must be ≥ 1, got 0 (see 'vigil watch"
                        + " decisions --help')");
    }

    @Test
    void helpListsTheNewCommands() {
        assertThat(vigil("bench", "--help").out()).contains("e2e").contains("produce");
        assertThat(vigil("watch", "--help").out()).contains("decisions");
        assertThat(vigil("bench", "e2e", "--help").out())
                .contains("--rates=TX_PER_S[,TX_PER_S...]")
                .contains("--[no-]floors");
    }

    private static void assertOneLine(Run run, int exitCode, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.errLines()).containsExactly(message);
    }
}
