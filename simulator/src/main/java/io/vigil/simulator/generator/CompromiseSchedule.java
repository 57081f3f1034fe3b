package io.vigil.simulator.generator;

import io.vigil.simulator.SimulatorConfig;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which terminals (scenario 2) and customers (scenario 3) the fraudsters compromise on each day: 2
 * terminals and 3 customers, distinct within a day, drawn independently every day. Like the
 * notebook's {@code for day in range(transactions_df.TX_TIME_DAYS.max())}, the last simulated day
 * draws none. A pure function of seed and day, so the streaming generator and a batch
 * re-implementation in the tests see the same draws.
 */
final class CompromiseSchedule {

    static final int TERMINALS_PER_DAY = 2;
    static final int CUSTOMERS_PER_DAY = 3;
    static final int TERMINAL_WINDOW_DAYS = 28;
    static final int CUSTOMER_WINDOW_DAYS = 14;

    private final long seed;
    private final int lastCompromiseDay;
    private final int terminals;
    private final int customers;

    CompromiseSchedule(SimulatorConfig config) {
        this.seed = config.seed();
        this.lastCompromiseDay = config.days() - 2;
        this.terminals = config.terminals();
        this.customers = config.customers();
    }

    int[] terminalsCompromisedOn(int day) {
        return draw(day, 0, TERMINALS_PER_DAY, terminals);
    }

    int[] customersCompromisedOn(int day) {
        return draw(day, 1, CUSTOMERS_PER_DAY, customers);
    }

    private int[] draw(int day, long kind, int wanted, int population) {
        if (day < 0 || day > lastCompromiseDay) {
            return new int[0];
        }
        SplittableRandom random =
                new SplittableRandom(Seeds.of(seed, Seeds.COMPROMISES, 2L * day + kind));
        int[] chosen = new int[Math.min(wanted, population)];
        for (int n = 0; n < chosen.length; ) {
            int candidate = random.nextInt(population);
            if (Arrays.stream(chosen, 0, n).noneMatch(c -> c == candidate)) {
                chosen[n++] = candidate;
            }
        }
        return chosen;
    }
}
