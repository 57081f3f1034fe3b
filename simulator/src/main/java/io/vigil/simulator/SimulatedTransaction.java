package io.vigil.simulator;

import io.vigil.schemas.Transaction;
import java.util.Objects;

/**
 * A transaction with its ground truth, which only the simulator (or the replayed file) knows: the
 * label the bank learns later, and which fraud scenario made it (0 = legitimate; 1–3 as in the
 * handbook; 4 = the {@link Drift.NightFraud} pattern).
 */
public record SimulatedTransaction(Transaction tx, boolean fraud, int scenario) {

    public SimulatedTransaction {
        Objects.requireNonNull(tx, "tx");
        if (scenario < 0 || fraud != (scenario > 0)) {
            throw new IllegalArgumentException(
                    "fraud="
                            + fraud
                            + " contradicts scenario="
                            + scenario
                            + " of "
                            + tx.getTransactionId());
        }
    }
}
