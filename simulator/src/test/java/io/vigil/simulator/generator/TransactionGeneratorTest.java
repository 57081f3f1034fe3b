package io.vigil.simulator.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.schemas.Transaction;
import io.vigil.simulator.SimulatedTransaction;
import io.vigil.simulator.SimulatorConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class TransactionGeneratorTest {

    private static final SimulatorConfig SMALL =
            SimulatorConfig.builder().customers(300).terminals(600).days(20).seed(42).build();

    static List<SimulatedTransaction> generate(SimulatorConfig config) {
        List<SimulatedTransaction> all = new ArrayList<>();
        new TransactionGenerator(config).forEachRemaining(all::add);
        return all;
    }

    @Test
    void sameSeedGivesTheSameStream() {
        assertThat(generate(SMALL)).isEqualTo(generate(SMALL)).isNotEmpty();
    }

    @Test
    void anotherSeedGivesAnotherStream() {
        SimulatorConfig other =
                SimulatorConfig.builder().customers(300).terminals(600).days(20).seed(43).build();

        assertThat(generate(other)).isNotEqualTo(generate(SMALL));
    }

    @Test
    void idsAreSequentialAndTimesSortedWithinThePeriod() {
        List<SimulatedTransaction> all = generate(SMALL);

        Instant previous = SMALL.start();
        for (int i = 0; i < all.size(); i++) {
            Transaction tx = all.get(i).tx();
            assertThat(tx.getTransactionId()).isEqualTo(Integer.toString(i));
            assertThat(tx.getEventTime()).isAfterOrEqualTo(previous).isBefore(SMALL.end());
            assertThat(tx.getEventTime().getNano()).isZero();
            assertThat(tx.getAmount().getMinorUnits()).isNotNegative();
            assertThat(tx.getAmount().getCurrency()).isEqualTo("EUR");
            previous = tx.getEventTime();
        }
    }

    @Test
    void customersOnlyUseTerminalsWithinTheRadius() {
        Population population = new Population(SMALL);

        for (SimulatedTransaction t : generate(SMALL)) {
            int customer = Integer.parseInt(t.tx().getCustomerId());
            int terminal = Integer.parseInt(t.tx().getTerminalId());
            assertThat(Arrays.binarySearch(population.reachable[customer], terminal))
                    .as("terminal %d reachable by customer %d", terminal, customer)
                    .isNotNegative();
        }
    }

    @Test
    void reachableTerminalsAreExactlyThoseStrictlyWithinTheRadius() {
        Population population = new Population(SMALL);
        // Brute force over all pairs, against the sorted-slice search.
        for (int c = 0; c < SMALL.customers(); c++) {
            List<Integer> expected = new ArrayList<>();
            for (int t = 0; t < SMALL.terminals(); t++) {
                double dx = population.terminalX[t] - population.customerX[c];
                double dy = population.terminalY[t] - population.customerY[c];
                if (Math.sqrt(dx * dx + dy * dy) < SMALL.radius()) {
                    expected.add(t);
                }
            }
            assertThat(population.reachable[c])
                    .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void switchingFraudOffLeavesTheTransactionsAsTheyWereExceptScenario3Amounts() {
        List<SimulatedTransaction> withFraud = generate(SMALL);
        List<SimulatedTransaction> without =
                generate(
                        SimulatorConfig.builder()
                                .customers(300)
                                .terminals(600)
                                .days(20)
                                .seed(42)
                                .fraudScenarios(false)
                                .build());

        assertThat(without).hasSameSizeAs(withFraud).noneMatch(SimulatedTransaction::fraud);
        assertThat(withFraud).anyMatch(SimulatedTransaction::fraud);
        for (int i = 0; i < without.size(); i++) {
            Transaction plain = without.get(i).tx();
            Transaction fraud = withFraud.get(i).tx();
            assertThat(fraud.getEventTime()).isEqualTo(plain.getEventTime());
            assertThat(fraud.getCustomerId()).isEqualTo(plain.getCustomerId());
            assertThat(fraud.getTerminalId()).isEqualTo(plain.getTerminalId());
            if (withFraud.get(i).scenario() != 3) {
                assertThat(fraud.getAmount()).isEqualTo(plain.getAmount());
            }
        }
    }

    @Test
    void daysWithoutReachableTerminalsYieldNothingAndTheEndIsClear() {
        // One terminal far from almost everyone: most customers cannot transact.
        SimulatorConfig sparse =
                SimulatorConfig.builder().customers(50).terminals(1).days(3).radius(1).build();
        TransactionGenerator generator = new TransactionGenerator(sparse);
        generator.forEachRemaining(t -> assertThat(t.tx().getTerminalId()).isEqualTo("0"));

        assertThat(generator.hasNext()).isFalse();
        assertThatThrownBy(generator::next)
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("simulation of 3 days is over");
    }
}
