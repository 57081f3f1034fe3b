package io.vigil.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Every rule of the benchmark's configuration, each with the option it names. */
class E2eBenchConfigTest {

    @Test
    void acceptsTheDefaultsAndSizesTheGenerator() {
        E2eBenchConfig config = config(List.of(1_000, 5_000), Duration.ofSeconds(60), true);

        // (10 + 60) s of e2e and (10 + 60) s of Kafka floor per rate, + 2 each for rounding, and
        // the first phase's 30 s warm-up instead of 10 s at the first rate.
        assertThat(config.totalTransactions()).isEqualTo(6_000 * 140 + 4 + 1_000 * 20);
        assertThat(config(List.of(1_000), Duration.ofSeconds(60), false).totalTransactions())
                .isEqualTo(70_002 + 20_000);
    }

    @Test
    void refusesWhatCannotBeMeasured() {
        assertRefused(
                () -> config(List.of(), Duration.ofSeconds(1), true),
                "--rates needs at least one rate");
        assertRefused(
                () -> config(List.of(1_000, 0), Duration.ofSeconds(1), true),
                "--rates must be transactions per second ≥ 1, got 0");
        assertRefused(
                () -> config(Arrays.asList(1_000, null), Duration.ofSeconds(1), true),
                "--rates must be transactions per second ≥ 1, got null");
        assertRefused(
                () -> config(List.of(1_000), Duration.ZERO, true),
                "--duration must be positive, got PT0S");
        assertRefused(
                () -> warmups(Duration.ofSeconds(-1), Duration.ZERO),
                "--warmup must not be negative, got PT-1S");
        assertRefused(
                () -> warmups(Duration.ZERO, Duration.ofSeconds(-1)),
                "--initial-warmup must not be negative, got PT-1S");
        assertRefused(
                () -> small(Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(1)),
                "--redis-iterations and --onnx-iterations must be ≥ 1, got 0 and 1");
        assertRefused(
                () -> small(Duration.ZERO, Duration.ZERO, 1, Duration.ZERO),
                "--timeline must be positive, got PT0S");
        assertRefused(
                () -> config(List.of(100_000_000), Duration.ofSeconds(60), true),
                "100000000 tx/s for PT1M plus PT30S warm-up is 9000000000 transactions; at most"
                        + " 2147483647 per rate");
    }

    private static E2eBenchConfig config(List<Integer> rates, Duration duration, boolean floors) {
        return new E2eBenchConfig(
                rates,
                duration,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                floors,
                duration,
                10_000,
                10_000,
                Duration.ofSeconds(1));
    }

    private static E2eBenchConfig warmups(Duration warmup, Duration initialWarmup) {
        return small(warmup, initialWarmup, 1, Duration.ofSeconds(1));
    }

    /** One transaction a second for a second, no floors. */
    private static E2eBenchConfig small(
            Duration warmup, Duration initialWarmup, int redisIterations, Duration timeline) {
        return new E2eBenchConfig(
                List.of(1),
                Duration.ofSeconds(1),
                warmup,
                initialWarmup,
                Duration.ZERO,
                false,
                Duration.ofSeconds(1),
                redisIterations,
                1,
                timeline);
    }

    private static void assertRefused(ThrowingCallable build, String message) {
        assertThatThrownBy(build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
