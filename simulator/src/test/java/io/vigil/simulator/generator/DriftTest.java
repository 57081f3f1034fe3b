package io.vigil.simulator.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.simulator.Drift;
import io.vigil.simulator.SimulatedTransaction;
import io.vigil.simulator.SimulatorConfig;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each drift changes the stream from its instant on, and only from then. */
class DriftTest {

    private static final long SEED = 11;
    private static final Instant FROM = SimulatorConfig.HANDBOOK_START.plusSeconds(15 * 86_400);

    private static SimulatorConfig.Builder base() {
        return SimulatorConfig.builder()
                .customers(1_000)
                .terminals(2_000)
                .days(30)
                .seed(SEED)
                .fraudScenarios(false);
    }

    private final List<SimulatedTransaction> undrifted =
            TransactionGeneratorTest.generate(base().build());

    @Test
    void amountShiftMultipliesAmountsFromItsInstant() {
        List<SimulatedTransaction> drifted =
                TransactionGeneratorTest.generate(
                        base().drift(new Drift.AmountShift(FROM, 2)).build());

        assertThat(drifted).hasSameSizeAs(undrifted);
        for (int i = 0; i < drifted.size(); i++) {
            long before = undrifted.get(i).tx().getAmount().getMinorUnits();
            long after = drifted.get(i).tx().getAmount().getMinorUnits();
            if (isBefore(drifted.get(i))) {
                assertThat(after).isEqualTo(before);
            } else {
                // Shifted before rounding to cents: at most one cent away from twice the amount.
                assertThat(after).isBetween(2 * before - 1, 2 * before + 1);
            }
        }
    }

    @Test
    void nightFraudIsANewScenarioAtNightOnSomeTerminals() {
        double terminalShare = 0.3;
        List<SimulatedTransaction> drifted =
                TransactionGeneratorTest.generate(
                        base().drift(new Drift.NightFraud(FROM, terminalShare, 0.5, 4)).build());

        int nightOnAffected = 0;
        int frauds = 0;
        for (int i = 0; i < drifted.size(); i++) {
            SimulatedTransaction t = drifted.get(i);
            int terminal = Integer.parseInt(t.tx().getTerminalId());
            boolean affected =
                    Seeds.uniform(SEED, Seeds.NIGHT_FRAUD_TERMINALS, terminal) < terminalShare;
            int hour = (int) (t.tx().getEventTime().getEpochSecond() % 86_400 / 3600);
            long plainCents = undrifted.get(i).tx().getAmount().getMinorUnits();
            if (!isBefore(t) && affected && hour < 6) {
                nightOnAffected++;
            }
            if (t.fraud()) {
                frauds++;
                assertThat(t.scenario()).isEqualTo(4);
                assertThat(isBefore(t)).isFalse();
                assertThat(affected).isTrue();
                assertThat(hour).isLessThan(6);
                assertThat(t.tx().getAmount().getMinorUnits()).isEqualTo(4 * plainCents);
            } else {
                assertThat(t.tx().getAmount().getMinorUnits()).isEqualTo(plainCents);
            }
        }
        // 15 days × ~1,940 a day × 14 % at night × 30 % of terminals ≈ 1,200; share sd ≈ 0.015.
        assertThat(nightOnAffected).isGreaterThan(800);
        assertThat((double) frauds / nightOnAffected).isCloseTo(0.5, within(0.05));
    }

    @Test
    void terminalMixConcentratesCustomersOnPopularTerminals() {
        double terminalShare = 0.2;
        List<SimulatedTransaction> drifted =
                TransactionGeneratorTest.generate(
                        base().drift(new Drift.TerminalMix(FROM, terminalShare, 0.9)).build());

        int before = 0;
        int beforePopular = 0;
        int after = 0;
        int afterPopular = 0;
        for (int i = 0; i < drifted.size(); i++) {
            SimulatedTransaction t = drifted.get(i);
            int terminal = Integer.parseInt(t.tx().getTerminalId());
            boolean popular =
                    Seeds.uniform(SEED, Seeds.POPULAR_TERMINALS, terminal) < terminalShare;
            if (isBefore(t)) {
                assertThat(t).isEqualTo(undrifted.get(i));
                before++;
                beforePopular += popular ? 1 : 0;
            } else {
                after++;
                afterPopular += popular ? 1 : 0;
            }
        }
        assertThat((double) beforePopular / before).isCloseTo(terminalShare, within(0.03));
        assertThat((double) afterPopular / after)
                .isCloseTo(expectedPopularShare(terminalShare, 0.9), within(0.02));
    }

    /**
     * A customer with k of n reachable terminals popular uses them with probability 0.9 + 0.1 · k/n
     * if k &gt; 0, else never; weighted by the customer's transactions per day.
     */
    private static double expectedPopularShare(double terminalShare, double preference) {
        Population population = new Population(base().build());
        double weighted = 0;
        double weights = 0;
        for (int c = 0; c < population.customers(); c++) {
            int[] reachable = population.reachable[c];
            long popular =
                    java.util.Arrays.stream(reachable)
                            .filter(
                                    t ->
                                            Seeds.uniform(SEED, Seeds.POPULAR_TERMINALS, t)
                                                    < terminalShare)
                            .count();
            if (reachable.length > 0) {
                double share = (double) popular / reachable.length;
                double used = popular > 0 ? preference + (1 - preference) * share : 0;
                weighted += population.meanTxPerDay[c] * used;
                weights += population.meanTxPerDay[c];
            }
        }
        return weighted / weights;
    }

    private static boolean isBefore(SimulatedTransaction t) {
        return t.tx().getEventTime().isBefore(FROM);
    }
}
