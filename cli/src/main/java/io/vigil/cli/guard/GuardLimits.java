package io.vigil.cli.guard;

import java.time.Duration;

/**
 * When a deciding model version is judged broken: over the decisions it took part in during the
 * last {@code window} (since it took its role, if later), at least {@code minDecisions} and either
 * share above its limit. A champion is rolled back only within {@code probation} of taking its
 * role; later a breach is reported, not acted on, because by then the previous champion is no safer
 * a choice.
 *
 * @param maxErrorRate share of the version's inferences that failed
 * @param maxDeclineRate share of the transactions the version decided that it declined
 */
public record GuardLimits(
        double maxErrorRate,
        double maxDeclineRate,
        long minDecisions,
        Duration window,
        Duration probation) {

    public GuardLimits {
        requireShare("--max-error-rate", maxErrorRate);
        requireShare("--max-decline-rate", maxDeclineRate);
        if (minDecisions < 1) {
            throw new IllegalArgumentException(
                    "--min-decisions must be at least 1, got " + minDecisions);
        }
        if (window.toSeconds() < 1) {
            throw new IllegalArgumentException("--window must be at least 1s, got " + window);
        }
        if (probation.isNegative()) {
            throw new IllegalArgumentException(
                    "--probation must not be negative, got " + probation);
        }
    }

    private static void requireShare(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(option + " must be in [0, 1), got " + value);
        }
    }
}
