package io.vigil.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parameters of one simulation, validated here and nowhere else.
 *
 * <ul>
 *   <li>{@code customers} (default 5,000) and {@code terminals} (10,000): population sizes; ids run
 *       0..n−1.
 *   <li>{@code days} (183): simulated days, starting at {@code start} (2018-04-01T00:00:00Z, must
 *       be a UTC midnight so TX_TIME_DAYS means calendar days).
 *   <li>{@code radius} (5): a customer uses the terminals strictly closer than this on the 100×100
 *       grid.
 *   <li>{@code seed} (0): the whole stream is a function of the seed and the other fields.
 *   <li>{@code fraudScenarios} (true): handbook scenarios 1–3 on or off.
 *   <li>{@code drifts} (none): changes of behaviour from a given event time, see {@link Drift}.
 * </ul>
 */
public record SimulatorConfig(
        int customers,
        int terminals,
        int days,
        Instant start,
        double radius,
        long seed,
        boolean fraudScenarios,
        List<Drift> drifts) {

    public static final Instant HANDBOOK_START = Instant.parse("2018-04-01T00:00:00Z");

    public SimulatorConfig {
        requirePositive("customers", customers);
        requirePositive("terminals", terminals);
        requirePositive("days", days);
        Objects.requireNonNull(start, "start");
        if (start.getEpochSecond() % 86_400 != 0 || start.getNano() != 0) {
            throw new IllegalArgumentException("start must be a UTC midnight, got " + start);
        }
        if (!(radius > 0) || radius > 150) {
            throw new IllegalArgumentException(
                    "radius must be in (0, 150] (the grid is 100×100), got " + radius);
        }
        drifts = List.copyOf(Objects.requireNonNull(drifts, "drifts"));
        for (Class<?> kind :
                List.of(Drift.AmountShift.class, Drift.NightFraud.class, Drift.TerminalMix.class)) {
            if (drifts.stream().filter(kind::isInstance).count() > 1) {
                throw new IllegalArgumentException(
                        "at most one " + kind.getSimpleName() + " drift, got several");
            }
        }
    }

    /** The handbook's published parameters with seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Exclusive end of the simulated period. */
    public Instant end() {
        return start.plusSeconds(86_400L * days);
    }

    public <D extends Drift> D drift(Class<D> kind) {
        return drifts.stream().filter(kind::isInstance).map(kind::cast).findFirst().orElse(null);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    /** Mutable builder starting from the handbook's parameters. */
    public static final class Builder {
        private int customers = 5_000;
        private int terminals = 10_000;
        private int days = 183;
        private Instant start = HANDBOOK_START;
        private double radius = 5;
        private long seed;
        private boolean fraudScenarios = true;
        private final List<Drift> drifts = new ArrayList<>();

        public Builder customers(int customers) {
            this.customers = customers;
            return this;
        }

        public Builder terminals(int terminals) {
            this.terminals = terminals;
            return this;
        }

        public Builder days(int days) {
            this.days = days;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder radius(double radius) {
            this.radius = radius;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder fraudScenarios(boolean fraudScenarios) {
            this.fraudScenarios = fraudScenarios;
            return this;
        }

        public Builder drift(Drift drift) {
            drifts.add(Objects.requireNonNull(drift, "drift"));
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(
                    customers, terminals, days, start, radius, seed, fraudScenarios, drifts);
        }
    }
}
