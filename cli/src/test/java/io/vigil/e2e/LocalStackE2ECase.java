package io.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's stack commands as a user runs them: up, status, simulate, up again, down. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackE2ECase {

    @RegisterExtension static final LocalStack STACK = new LocalStack();

    private static final Pattern TOTAL_RSS = Pattern.compile("(?m)^TOTAL\\s+(\\d+)\\s*$");
    private static final Pattern TRANSACTIONS =
            Pattern.compile("(?m)^vigil\\.transactions\\s+(\\d+)\\s+(\\d+)\\s*$");

    @Test
    @Order(1)
    void upStartsEveryPartWithinTheMemoryBudget() throws Exception {
        LocalStack.Result up = STACK.vigil(Duration.ofMinutes(6), "up");
        assertThat(up.exitCode()).as(up.output()).isZero();

        LocalStack.Result status = STACK.vigil(Duration.ofMinutes(1), "status");

        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output())
                .containsPattern("(?m)^kafka\\s+\\d+\\s+\\S+\\s+UP")
                .containsPattern("(?m)^redis\\s+\\d+\\s+\\S+\\s+UP")
                .containsPattern("(?m)^flink-jobmanager\\s+\\d+\\s+\\S+\\s+UP")
                .containsPattern("(?m)^flink-taskmanager\\s+\\d+\\s+\\S+\\s+UP")
                .containsPattern("(?m)^review-queue\\s+\\d+\\s+\\S+\\s+UP")
                .containsPattern("(?m)^retrainer\\s+\\d+\\s+\\S+\\s+UP")
                .containsPattern("(?m)^guard\\s+\\d+\\s+\\S+\\s+UP");
        Matcher rss = TOTAL_RSS.matcher(status.output());
        assertThat(rss.find()).as(status.output()).isTrue();
        assertThat(Integer.parseInt(rss.group(1))).as("idle stack RSS in MB").isLessThan(2500);
    }

    @Test
    @Order(2)
    void simulatedTransactionsShowInStatus() throws Exception {
        long before = transactionCount();
        LocalStack.Result simulate =
                STACK.vigil(
                        Duration.ofMinutes(3),
                        "simulate",
                        "--bootstrap",
                        STACK.kafkaBootstrap(),
                        "--customers",
                        "300",
                        "--terminals",
                        "600",
                        "--days",
                        "10",
                        "--max-tx",
                        "2000");
        assertThat(simulate.exitCode()).as(simulate.output()).isZero();

        assertThat(transactionCount() - before).isEqualTo(2000);
    }

    /**
     * The vigil.transactions count in `vigil status` (data survives a down/up of the same home).
     */
    private static long transactionCount() throws Exception {
        LocalStack.Result status = STACK.vigil(Duration.ofMinutes(1), "status");
        Matcher count = TRANSACTIONS.matcher(status.output());
        assertThat(count.find()).as(status.output()).isTrue();
        assertThat(Integer.parseInt(count.group(1))).as("partitions").isEqualTo(4);
        return Long.parseLong(count.group(2));
    }

    @Test
    @Order(3)
    void upIsIdempotent() throws Exception {
        LocalStack.Result again = STACK.vigil(Duration.ofMinutes(2), "up");

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("already running");
    }

    @Test
    @Order(4)
    void downLeavesNoProcessAndNoPortBehind() throws Exception {
        LocalStack.Result down = STACK.vigil(Duration.ofMinutes(2), "down");

        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(STACK.leftoverProcesses()).isEmpty();
        for (String port :
                new String[] {"VIGIL_KAFKA_PORT", "VIGIL_REDIS_PORT", "VIGIL_FLINK_REST_PORT"}) {
            assertThat(isListening(STACK.port(port))).as(port).isFalse();
        }
        assertThat(STACK.vigil(Duration.ofMinutes(1), "status").exitCode()).isEqualTo(3);
    }

    private static boolean isListening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
