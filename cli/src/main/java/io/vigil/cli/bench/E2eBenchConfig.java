package io.vigil.cli.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code vigil bench e2e} measures, validated here and nowhere else.
 *
 * <ul>
 *   <li>{@code rates}: transactions per second, one measurement each, in order;
 *   <li>{@code duration}: measured time per rate, after {@code warmup} (sent, not recorded);
 *   <li>{@code initialWarmup}: the warm-up of the run's first phase instead of {@code warmup}: the
 *       benchmark's own JVM and Kafka clients (and a freshly started broker) compile their hot
 *       paths in its first half minute, which would otherwise be measured as latency;
 *   <li>{@code grace}: how long to wait for the last responses of a rate before counting the rest
 *       as missing;
 *   <li>{@code floors}: also measure the floors; the Kafka-only floor runs each rate for {@code
 *       floorDuration} after the same warm-up, the Redis and ONNX floors time {@code
 *       redisIterations} lookups and {@code onnxIterations} inferences per model;
 *   <li>{@code timelineInterval}: the span of each entry of a rate's timeline (e2e latency by
 *       intended send time): a second to see a model swap, minutes for an hour-long soak.
 * </ul>
 */
public record E2eBenchConfig(
        List<Integer> rates,
        Duration duration,
        Duration warmup,
        Duration initialWarmup,
        Duration grace,
        boolean floors,
        Duration floorDuration,
        int redisIterations,
        int onnxIterations,
        Duration timelineInterval) {

    /** One rate's phase must fit the per-phase bookkeeping (a bit per transaction). */
    static final long MAX_TRANSACTIONS_PER_RATE = Integer.MAX_VALUE;

    public E2eBenchConfig {
        if (rates == null || rates.isEmpty()) {
            throw new IllegalArgumentException("--rates needs at least one rate");
        }
        for (Integer rate : rates) {
            if (rate == null || rate < 1) {
                throw new IllegalArgumentException(
                        "--rates must be transactions per second ≥ 1, got " + rate);
            }
        }
        rates = List.copyOf(rates);
        requirePositive("--duration", duration);
        requireNotNegative("--warmup", warmup);
        requireNotNegative("--initial-warmup", initialWarmup);
        requireNotNegative("--grace", grace);
        requirePositive("--floor-duration", floorDuration);
        requirePositive("--timeline", timelineInterval);
        if (redisIterations < 1 || onnxIterations < 1) {
            throw new IllegalArgumentException(
                    "--redis-iterations and --onnx-iterations must be ≥ 1, got "
                            + redisIterations
                            + " and "
                            + onnxIterations);
        }
        Duration longest =
                floors && floorDuration.compareTo(duration) > 0 ? floorDuration : duration;
        Duration longestWarmup = initialWarmup.compareTo(warmup) > 0 ? initialWarmup : warmup;
        for (int rate : rates) {
            double perRate = rate * (longest.plus(longestWarmup).toNanos() / 1e9);
            if (perRate > MAX_TRANSACTIONS_PER_RATE) {
                throw new IllegalArgumentException(
                        String.format(
                                Locale.ROOT,
                                "%d tx/s for %s plus %s warm-up is %.0f transactions; at most %d"
                                        + " per rate",
                                rate,
                                longest,
                                longestWarmup,
                                perRate,
                                MAX_TRANSACTIONS_PER_RATE));
            }
        }
    }

    /** Transactions all phases send, e2e and Kafka floor: to size the generator. */
    public long totalTransactions() {
        double seconds = (warmup.plus(duration).toNanos() / 1e9);
        double floorSeconds = floors ? warmup.plus(floorDuration).toNanos() / 1e9 : 0;
        double firstPhaseExtra = initialWarmup.minus(warmup).toNanos() / 1e9;
        return rates.stream()
                        .mapToLong(r -> (long) Math.ceil(r * (seconds + floorSeconds)) + 2)
                        .sum()
                + (long) Math.ceil(rates.get(0) * firstPhaseExtra);
    }

    private static void requirePositive(String option, Duration d) {
        Objects.requireNonNull(d, option);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, got " + d);
        }
    }

    private static void requireNotNegative(String option, Duration d) {
        Objects.requireNonNull(d, option);
        if (d.isNegative()) {
            throw new IllegalArgumentException(option + " must not be negative, got " + d);
        }
    }
}
