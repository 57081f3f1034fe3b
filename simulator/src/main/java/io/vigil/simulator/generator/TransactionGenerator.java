package io.vigil.simulator.generator;

import io.vigil.schemas.Money;
import io.vigil.schemas.Transaction;
import io.vigil.simulator.Drift;
import io.vigil.simulator.SimulatedTransaction;
import io.vigil.simulator.SimulatorConfig;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The Fraud Detection Handbook's transaction generator (chapter 3), streamed one day at a time:
 * memory holds the profiles and one day of transactions, never the whole run.
 *
 * <p>Per customer and day: Poisson(mean_nb_tx_per_day) transactions; each at second ~
 * Normal(43,200, 20,000) truncated to an integer and kept only within (0, 86,400); amount ~
 * Normal(mean, std), redrawn from U(0, 2·mean) if negative, rounded to cents; terminal uniform
 * among those within reach (none → no transaction). The day is sorted by time (stable), numbered on
 * from the previous day's last id, then {@link FraudScenarios} labels it.
 *
 * <p>Deterministic: the same {@link SimulatorConfig} yields the same stream. Each day draws from
 * its own random stream derived from the seed, so the stream does not depend on how it is consumed.
 */
public final class TransactionGenerator implements Iterator<SimulatedTransaction> {

    private static final String CURRENCY = "EUR";
    private static final int SECONDS_PER_DAY = 86_400;
    private static final double MEAN_SECOND = 43_200;
    private static final double STD_SECOND = 20_000;

    /** P(0 &lt; ⌊Normal(43,200, 20,000)⌋ &lt; 86,400) = P(|Z| &lt; 2.16). */
    private static final double VALID_SECOND_PROBABILITY = 0.9692;

    private final SimulatorConfig config;
    private final Population population;
    private final FraudScenarios fraud;
    private final DayBatch batch = new DayBatch();
    private final String[] customerIds;
    private final String[] terminalIds;

    private final double amountFactor;
    private final long amountShiftFromMillis;
    private final Drift.TerminalMix terminalMix;
    private final long terminalMixFromMillis;
    private final int[][] popularReachable;

    private int nextDay;
    private int cursor;
    private long dayStartMillis;
    private long nextTransactionId;

    public TransactionGenerator(SimulatorConfig config) {
        this.config = config;
        this.population = new Population(config);
        this.fraud = new FraudScenarios(config);
        this.customerIds = decimalIds(config.customers());
        this.terminalIds = decimalIds(config.terminals());

        Drift.AmountShift shift = config.drift(Drift.AmountShift.class);
        this.amountFactor = shift == null ? 1 : shift.factor();
        this.amountShiftFromMillis = shift == null ? Long.MAX_VALUE : shift.from().toEpochMilli();
        this.terminalMix = config.drift(Drift.TerminalMix.class);
        this.terminalMixFromMillis =
                terminalMix == null ? Long.MAX_VALUE : terminalMix.from().toEpochMilli();
        this.popularReachable = terminalMix == null ? null : popularReachable(terminalMix);
    }

    /** The expected number of transactions of the whole run, e.g. for a progress bar. */
    public long expectedTransactions() {
        double perDay = 0;
        for (int c = 0; c < population.customers(); c++) {
            if (population.reachable[c].length > 0) {
                perDay += population.meanTxPerDay[c] * VALID_SECOND_PROBABILITY;
            }
        }
        return Math.round(perDay * config.days());
    }

    @Override
    public boolean hasNext() {
        while (cursor == batch.size && nextDay < config.days()) {
            generateDay(nextDay++);
        }
        return cursor < batch.size;
    }

    @Override
    public SimulatedTransaction next() {
        if (!hasNext()) {
            throw new NoSuchElementException("simulation of " + config.days() + " days is over");
        }
        int i = cursor++;
        Transaction tx =
                new Transaction(
                        Long.toString(nextTransactionId++),
                        Instant.ofEpochMilli(dayStartMillis + batch.secondOfDay[i] * 1000L),
                        customerIds[batch.customer[i]],
                        terminalIds[batch.terminal[i]],
                        new Money(batch.cents[i], CURRENCY),
                        null,
                        null,
                        null);
        int scenario = batch.scenario[i];
        return new SimulatedTransaction(tx, scenario > 0, scenario);
    }

    private void generateDay(int day) {
        batch.clear();
        cursor = 0;
        dayStartMillis = config.start().toEpochMilli() + day * (SECONDS_PER_DAY * 1000L);
        SplittableRandom random =
                new SplittableRandom(Seeds.of(config.seed(), Seeds.TRANSACTIONS, day));
        for (int c = 0; c < population.customers(); c++) {
            int count = poisson(random, population.meanTxPerDay[c]);
            for (int k = 0; k < count; k++) {
                // Truncation toward zero, as Python's int() in the notebook.
                int second = (int) (MEAN_SECOND + STD_SECOND * random.nextGaussian());
                if (second <= 0 || second >= SECONDS_PER_DAY) {
                    continue;
                }
                long eventMillis = dayStartMillis + second * 1000L;
                double amount = amount(random, c);
                if (eventMillis >= amountShiftFromMillis) {
                    amount *= amountFactor;
                }
                int terminal = terminal(random, c, eventMillis);
                if (terminal >= 0) {
                    batch.add(second, c, terminal, Math.round(amount * 100));
                }
            }
        }
        batch.sortByTime();
        fraud.startDay(day);
        fraud.apply(batch, dayStartMillis);
    }

    private double amount(SplittableRandom random, int c) {
        double mean = population.meanAmount[c];
        double amount = mean + population.stdAmount[c] * random.nextGaussian();
        return amount < 0 ? random.nextDouble(0, 2 * mean) : amount;
    }

    private int terminal(SplittableRandom random, int c, long eventMillis) {
        int[] choices = population.reachable[c];
        if (eventMillis >= terminalMixFromMillis
                && popularReachable[c].length > 0
                && random.nextDouble() < terminalMix.preference()) {
            choices = popularReachable[c];
        }
        return choices.length == 0 ? -1 : choices[random.nextInt(choices.length)];
    }

    private int[][] popularReachable(Drift.TerminalMix mix) {
        int[][] popular = new int[population.customers()][];
        for (int c = 0; c < popular.length; c++) {
            popular[c] =
                    Arrays.stream(population.reachable[c])
                            .filter(
                                    t ->
                                            Seeds.uniform(config.seed(), Seeds.POPULAR_TERMINALS, t)
                                                    < mix.terminalShare())
                            .toArray();
        }
        return popular;
    }

    // Knuth's method: exact and fast for the handbook's rates (below 4 a day).
    private static int poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        int k = 0;
        double product = random.nextDouble();
        while (product > limit) {
            k++;
            product *= random.nextDouble();
        }
        return k;
    }

    private static String[] decimalIds(int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = Integer.toString(i);
        }
        return ids;
    }
}
