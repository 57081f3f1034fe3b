package io.vigil.cli.retrain;

import java.util.Locale;

/**
 * How one attempt at a retrain request ended; the {@code outcome} label of the follower's metrics.
 * Every outcome but {@link #RETRIED} handles the request: its offset is committed.
 */
public enum RetrainOutcome {
    /** Trained, both versions registered and the better one set as challenger. */
    REGISTERED,
    /** Not handled, with a reason: unknown model, nothing to learn from, training failed. */
    REFUSED,
    /** Already handled before (a redelivery): nothing done. */
    DUPLICATE,
    /**
     * A transient failure ({@link io.vigil.cli.TransientFailures}): not committed, tried again
     * after a wait.
     */
    RETRIED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
