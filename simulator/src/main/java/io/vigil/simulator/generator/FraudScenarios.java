package io.vigil.simulator.generator;

import io.vigil.simulator.Drift;
import io.vigil.simulator.SimulatorConfig;
import java.util.SplittableRandom;

/**
 * Applies the handbook's fraud scenarios to one day of transactions at a time, in the notebook's
 * order, each later scenario overwriting the scenario number of an earlier one:
 *
 * <ol>
 *   <li>amount &gt; 220.00 → fraud;
 *   <li>every transaction on a terminal compromised on day d, for days d … d+27 → fraud;
 *   <li>of the transactions of a customer compromised on day d, in days d … d+13, a third get
 *       amount × 5 and are fraud;
 *   <li>(only with a {@link Drift.NightFraud} drift) night-time transactions on the affected
 *       terminals, with the configured probability.
 * </ol>
 *
 * <p>Streaming instead of batch: scenario 2 keeps, per terminal, the end of its latest compromise
 * window, which marks exactly the transactions the batch version marks. Scenario 3's batch version
 * picks {@code int(n/3)} of the n transactions of each (customer, window) pair once the window is
 * over; a stream cannot wait 14 days, so each transaction in a window is picked independently with
 * probability 1/3 (per window it lies in, amount × 5 per pick, as in the batch version when windows
 * overlap). Same expected share; the batch floor makes it slightly smaller there (about 2 % fewer
 * scenario-3 frauds over the published 183 days).
 */
final class FraudScenarios {

    static final long SCENARIO_1_THRESHOLD_CENTS = 220_00;
    static final int SCENARIO_3_AMOUNT_FACTOR = 5;
    private static final double SCENARIO_3_SHARE = 1.0 / 3;
    private static final int NIGHT_END_SECOND = 6 * 3600;

    private final long seed;
    private final boolean handbookScenarios;
    private final CompromiseSchedule schedule;

    /** Exclusive last day of each terminal's latest compromise window. */
    private final int[] terminalCompromisedUntil;

    /** Number of scenario-3 windows covering the current day, per customer. */
    private final int[] customerOpenWindows;

    private final Drift.NightFraud nightFraud;
    private final long nightFraudFromMillis;
    private final boolean[] nightFraudTerminal;

    private int day = -1;
    private SplittableRandom random;

    FraudScenarios(SimulatorConfig config) {
        this.seed = config.seed();
        this.handbookScenarios = config.fraudScenarios();
        this.schedule = new CompromiseSchedule(config);
        this.terminalCompromisedUntil = new int[config.terminals()];
        this.customerOpenWindows = new int[config.customers()];
        this.nightFraud = config.drift(Drift.NightFraud.class);
        if (nightFraud != null) {
            nightFraudFromMillis = nightFraud.from().toEpochMilli();
            nightFraudTerminal = new boolean[config.terminals()];
            for (int t = 0; t < nightFraudTerminal.length; t++) {
                nightFraudTerminal[t] =
                        Seeds.uniform(seed, Seeds.NIGHT_FRAUD_TERMINALS, t)
                                < nightFraud.terminalShare();
            }
        } else {
            nightFraudFromMillis = Long.MAX_VALUE;
            nightFraudTerminal = null;
        }
    }

    /**
     * Opens the compromise windows starting on {@code newDay} and closes those ending before it.
     */
    void startDay(int newDay) {
        if (newDay != day + 1) {
            throw new IllegalStateException(
                    "days must advance one by one: " + day + " → " + newDay);
        }
        day = newDay;
        random = new SplittableRandom(Seeds.of(seed, Seeds.FRAUD_SELECTION, day));
        for (int t : schedule.terminalsCompromisedOn(day)) {
            terminalCompromisedUntil[t] =
                    Math.max(
                            terminalCompromisedUntil[t],
                            day + CompromiseSchedule.TERMINAL_WINDOW_DAYS);
        }
        for (int c : schedule.customersCompromisedOn(day)) {
            customerOpenWindows[c]++;
        }
        for (int c :
                schedule.customersCompromisedOn(day - CompromiseSchedule.CUSTOMER_WINDOW_DAYS)) {
            customerOpenWindows[c]--;
        }
    }

    /**
     * Sets the scenario of each transaction of the current day (sorted by time) and multiplies the
     * amounts that scenarios 3 and 4 change.
     */
    void apply(DayBatch batch, long dayStartMillis) {
        for (int i = 0; i < batch.size; i++) {
            batch.scenario[i] = (byte) scenarioOf(batch, i, dayStartMillis);
        }
    }

    private int scenarioOf(DayBatch batch, int i, long dayStartMillis) {
        int scenario = 0;
        if (handbookScenarios) {
            if (batch.cents[i] > SCENARIO_1_THRESHOLD_CENTS) {
                scenario = 1;
            }
            if (terminalCompromisedUntil[batch.terminal[i]] > day) {
                scenario = 2;
            }
            for (int w = customerOpenWindows[batch.customer[i]]; w > 0; w--) {
                if (random.nextDouble() < SCENARIO_3_SHARE) {
                    batch.cents[i] *= SCENARIO_3_AMOUNT_FACTOR;
                    scenario = 3;
                }
            }
        }
        if (nightFraud != null
                && batch.secondOfDay[i] < NIGHT_END_SECOND
                && dayStartMillis + batch.secondOfDay[i] * 1000L >= nightFraudFromMillis
                && nightFraudTerminal[batch.terminal[i]]
                && random.nextDouble() < nightFraud.fraudShare()) {
            batch.cents[i] = Math.round(batch.cents[i] * nightFraud.amountFactor());
            scenario = 4;
        }
        return scenario;
    }
}
