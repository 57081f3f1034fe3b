package io.vigil.simulator.generator;

import java.util.Arrays;

/**
 * The transactions of one simulated day in parallel primitive arrays (about 10k a day with the
 * handbook's parameters), reused from day to day: memory is bounded by the busiest day.
 */
final class DayBatch {

    int size;
    int[] secondOfDay = new int[16_384];
    int[] customer = new int[16_384];
    int[] terminal = new int[16_384];
    long[] cents = new long[16_384];
    byte[] scenario = new byte[16_384];
    private long[] sortKeys = new long[16_384];

    void clear() {
        size = 0;
    }

    void add(int second, int customerId, int terminalId, long amountCents) {
        if (size == secondOfDay.length) {
            int capacity = size * 2;
            secondOfDay = Arrays.copyOf(secondOfDay, capacity);
            customer = Arrays.copyOf(customer, capacity);
            terminal = Arrays.copyOf(terminal, capacity);
            cents = Arrays.copyOf(cents, capacity);
            scenario = Arrays.copyOf(scenario, capacity);
            sortKeys = Arrays.copyOf(sortKeys, capacity);
        }
        secondOfDay[size] = second;
        customer[size] = customerId;
        terminal[size] = terminalId;
        cents[size] = amountCents;
        scenario[size] = 0;
        size++;
    }

    /** Stable sort by time: equal seconds keep generation (customer) order. */
    void sortByTime() {
        // Key = second in the high bits, generation index in the low bits: unique, so stable.
        for (int i = 0; i < size; i++) {
            sortKeys[i] = ((long) secondOfDay[i] << 32) | i;
        }
        Arrays.sort(sortKeys, 0, size);
        int[] seconds = secondOfDay.clone();
        int[] customers = customer.clone();
        int[] terminals = terminal.clone();
        long[] amounts = cents.clone();
        for (int i = 0; i < size; i++) {
            int from = (int) sortKeys[i];
            secondOfDay[i] = seconds[from];
            customer[i] = customers[from];
            terminal[i] = terminals[from];
            cents[i] = amounts[from];
        }
    }
}
