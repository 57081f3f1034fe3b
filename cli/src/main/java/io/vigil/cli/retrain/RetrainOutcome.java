package io.vigil.cli.retrain;

import java.util.Locale;

/** How the follower handled one retrain request; the {@code outcome} label of its metrics. */
public enum RetrainOutcome {
    /** Trained, both versions registered and the better one set as challenger. */
    REGISTERED,
    /** Not handled, with a reason: unknown model, nothing to learn from, training failed. */
    REFUSED,
    /** Already handled before (a redelivery): nothing done. */
    DUPLICATE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
