package io.vigil.simulator.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.simulator.SimulatedTransaction;
import io.vigil.simulator.SimulatorConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the streaming fraud scenarios against the notebook's batch definitions, re-implemented
 * here over the whole generated run with the same compromise draws.
 */
class FraudScenariosTest {

    private static final SimulatorConfig CONFIG =
            SimulatorConfig.builder().customers(400).terminals(300).days(60).seed(7).build();
    private static final SimulatorConfig WITHOUT_FRAUD =
            SimulatorConfig.builder()
                    .customers(400)
                    .terminals(300)
                    .days(60)
                    .seed(7)
                    .fraudScenarios(false)
                    .build();

    private final List<SimulatedTransaction> labelled = TransactionGeneratorTest.generate(CONFIG);
    private final List<SimulatedTransaction> plain =
            TransactionGeneratorTest.generate(WITHOUT_FRAUD);
    private final CompromiseSchedule schedule = new CompromiseSchedule(CONFIG);

    @Test
    void lastDayCompromisesNothingLikeTheNotebook() {
        assertThat(schedule.terminalsCompromisedOn(CONFIG.days() - 2)).hasSize(2);
        assertThat(schedule.customersCompromisedOn(CONFIG.days() - 2)).hasSize(3);
        assertThat(schedule.terminalsCompromisedOn(CONFIG.days() - 1)).isEmpty();
        assertThat(schedule.customersCompromisedOn(CONFIG.days() - 1)).isEmpty();
        assertThat(schedule.customersCompromisedOn(5)).doesNotHaveDuplicates();
    }

    @Test
    void scenario2MarksExactlyTheBatchVersionsTransactions() {
        int checked = 0;
        for (int i = 0; i < labelled.size(); i++) {
            SimulatedTransaction t = labelled.get(i);
            boolean batchScenario2 = onCompromisedTerminal(t);
            if (batchScenario2) {
                checked++;
                // Scenario 3 may overwrite the number, as in the notebook.
                assertThat(t.scenario()).as("tx %d", i).isIn(2, 3);
            } else {
                assertThat(t.scenario()).as("tx %d", i).isNotEqualTo(2);
            }
        }
        assertThat(checked).isGreaterThan(300);
    }

    @Test
    void scenario1IsAnAmountAbove220UnlessALaterScenarioOverwrote() {
        for (int i = 0; i < labelled.size(); i++) {
            long cents = plain.get(i).tx().getAmount().getMinorUnits();
            int scenario = labelled.get(i).scenario();
            if (scenario == 1) {
                assertThat(cents).isGreaterThan(22_000);
            } else if (scenario == 0) {
                assertThat(cents).isLessThanOrEqualTo(22_000);
            }
        }
        assertThat(labelled).anyMatch(t -> t.scenario() == 1);
    }

    @Test
    void scenario3PicksAThirdOfTheCompromisedCustomersTransactionsAndMultipliesTheirAmount() {
        int inWindow = 0;
        int picked = 0;
        for (int i = 0; i < labelled.size(); i++) {
            SimulatedTransaction t = labelled.get(i);
            int windows = openCustomerWindows(t);
            long before = plain.get(i).tx().getAmount().getMinorUnits();
            long after = t.tx().getAmount().getMinorUnits();
            if (windows == 0) {
                assertThat(t.scenario()).isNotEqualTo(3);
                assertThat(after).isEqualTo(before);
                continue;
            }
            if (windows == 1) {
                inWindow++;
            }
            if (t.scenario() == 3) {
                if (windows == 1) {
                    picked++;
                    assertThat(after).isEqualTo(before * 5);
                } else {
                    assertThat(after).isIn(before * 5, before * 25, before * 125);
                }
            } else {
                assertThat(after).isEqualTo(before);
            }
        }
        // Binomial(n, 1/3): with n ≈ 1,000 the standard deviation of the share is ≈ 0.015.
        assertThat(inWindow).isGreaterThan(500);
        assertThat((double) picked / inWindow).isCloseTo(1.0 / 3, within(0.06));
    }

    private boolean onCompromisedTerminal(SimulatedTransaction t) {
        int day = dayOf(t);
        int terminal = Integer.parseInt(t.tx().getTerminalId());
        for (int d = Math.max(0, day - 27); d <= day; d++) {
            for (int compromised : schedule.terminalsCompromisedOn(d)) {
                if (compromised == terminal) {
                    return true;
                }
            }
        }
        return false;
    }

    private int openCustomerWindows(SimulatedTransaction t) {
        int day = dayOf(t);
        int customer = Integer.parseInt(t.tx().getCustomerId());
        int windows = 0;
        for (int d = Math.max(0, day - 13); d <= day; d++) {
            for (int compromised : schedule.customersCompromisedOn(d)) {
                if (compromised == customer) {
                    windows++;
                }
            }
        }
        return windows;
    }

    private static int dayOf(SimulatedTransaction t) {
        return (int)
                ((t.tx().getEventTime().getEpochSecond() - CONFIG.start().getEpochSecond())
                        / 86_400);
    }
}
