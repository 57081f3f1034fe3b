package io.vigil.cli.guard;

import java.util.Locale;

/** What the guard did about a breached limit. */
public enum GuardAction {
    /** The champion was rolled back to the previous one. */
    ROLLED_BACK,
    /** The canary challenger stopped deciding and stays on as a shadow. */
    SHADOWED,
    /** Reported only: a champion past its probation or without a previous one, or a shadow. */
    REPORTED,
    /** The registry refused the change: the roles changed since the guard read them. */
    REFUSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
