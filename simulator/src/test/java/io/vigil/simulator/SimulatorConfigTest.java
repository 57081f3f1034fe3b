package io.vigil.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    private static final Instant DAY_10 = SimulatorConfig.HANDBOOK_START.plusSeconds(10 * 86_400);

    @Test
    void defaultsAreTheHandbooksParameters() {
        SimulatorConfig config = SimulatorConfig.builder().build();

        assertThat(config.customers()).isEqualTo(5_000);
        assertThat(config.terminals()).isEqualTo(10_000);
        assertThat(config.days()).isEqualTo(183);
        assertThat(config.start()).isEqualTo(Instant.parse("2018-04-01T00:00:00Z"));
        assertThat(config.radius()).isEqualTo(5);
        assertThat(config.fraudScenarios()).isTrue();
        assertThat(config.drifts()).isEmpty();
        assertThat(config.end()).isEqualTo(Instant.parse("2018-10-01T00:00:00Z"));
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThatThrownBy(() -> SimulatorConfig.builder().customers(0).build())
                .hasMessage("customers must be at least 1, got 0");
        assertThatThrownBy(() -> SimulatorConfig.builder().terminals(-3).build())
                .hasMessage("terminals must be at least 1, got -3");
        assertThatThrownBy(() -> SimulatorConfig.builder().days(0).build())
                .hasMessage("days must be at least 1, got 0");
        assertThatThrownBy(() -> SimulatorConfig.builder().radius(0).build())
                .hasMessageContaining("radius must be in (0, 150]");
        assertThatThrownBy(() -> SimulatorConfig.builder().radius(Double.NaN).build())
                .hasMessageContaining("radius");
    }

    @Test
    void startMustBeAMidnightSoDaysAreCalendarDays() {
        assertThatThrownBy(
                        () ->
                                SimulatorConfig.builder()
                                        .start(Instant.parse("2018-04-01T12:00:00Z"))
                                        .build())
                .hasMessage("start must be a UTC midnight, got 2018-04-01T12:00:00Z");
    }

    @Test
    void eachDriftKindAtMostOnce() {
        assertThatThrownBy(
                        () ->
                                SimulatorConfig.builder()
                                        .drift(new Drift.AmountShift(DAY_10, 2))
                                        .drift(new Drift.AmountShift(DAY_10, 3))
                                        .build())
                .hasMessage("at most one AmountShift drift, got several");
    }

    @Test
    void driftParametersAreChecked() {
        assertThatThrownBy(() -> new Drift.AmountShift(DAY_10, 0))
                .hasMessage("amount shift factor must be in (0, 100], got 0.0");
        assertThatThrownBy(() -> new Drift.NightFraud(DAY_10, 1.5, 0.5, 3))
                .hasMessage("night fraud terminal share must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> new Drift.NightFraud(DAY_10, 0.1, 0.5, 0.5))
                .hasMessage("night fraud amount factor must be in [1, 100], got 0.5");
        assertThatThrownBy(() -> new Drift.TerminalMix(DAY_10, 0.1, 0))
                .hasMessage("terminal mix preference must be in (0, 1], got 0.0");
    }

    @Test
    void findsADriftByKind() {
        Drift.TerminalMix mix = new Drift.TerminalMix(DAY_10, 0.2, 0.9);
        SimulatorConfig config = SimulatorConfig.builder().drift(mix).build();

        assertThat(config.drift(Drift.TerminalMix.class)).isEqualTo(mix);
        assertThat(config.drift(Drift.AmountShift.class)).isNull();
    }
}
