package io.vigil.simulator;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of behaviour injected from event time {@code from()} on, to exercise drift detection and
 * retraining. Each kind may appear once per simulation.
 */
public sealed interface Drift {

    /** Transactions with an event time at or after this instant are affected. */
    Instant from();

    /**
     * Covariate shift: every amount is multiplied by {@code factor} before the fraud scenarios run,
     * so scenario 1 (amount &gt; 220) also fires more or less often.
     */
    record AmountShift(Instant from, double factor) implements Drift {
        public AmountShift {
            Objects.requireNonNull(from, "from");
            if (!(factor > 0) || factor > 100) {
                throw new IllegalArgumentException(
                        "amount shift factor must be in (0, 100], got " + factor);
            }
        }
    }

    /**
     * A new fraud pattern (scenario 4): on a fixed random {@code terminalShare} of terminals, each
     * night-time transaction (00:00–05:59 UTC) is fraud with probability {@code fraudShare} and its
     * amount is multiplied by {@code amountFactor}.
     */
    record NightFraud(Instant from, double terminalShare, double fraudShare, double amountFactor)
            implements Drift {
        public NightFraud {
            Objects.requireNonNull(from, "from");
            requireShare("night fraud terminal share", terminalShare);
            requireShare("night fraud share", fraudShare);
            if (!(amountFactor >= 1) || amountFactor > 100) {
                throw new IllegalArgumentException(
                        "night fraud amount factor must be in [1, 100], got " + amountFactor);
            }
        }
    }

    /**
     * A change of terminal mix: a fixed random {@code terminalShare} of terminals becomes popular;
     * with probability {@code preference} a customer picks among the popular terminals within reach
     * (when there is one) instead of among all terminals within reach.
     */
    record TerminalMix(Instant from, double terminalShare, double preference) implements Drift {
        public TerminalMix {
            Objects.requireNonNull(from, "from");
            requireShare("terminal mix share", terminalShare);
            requireShare("terminal mix preference", preference);
        }
    }

    private static void requireShare(String name, double value) {
        if (!(value > 0) || value > 1) {
            throw new IllegalArgumentException(name + " must be in (0, 1], got " + value);
        }
    }
}
