package io.vigil.simulator.feed;

/**
 * Which transactions get a label. The handbook's bank knows every transaction's true class once the
 * label delay has passed, so the default labels all of them; {@code FRAUD_ONLY} models a bank that
 * only hears about frauds (chargebacks), where silence means legitimate; {@code NONE} sends
 * transactions only (benchmarks).
 */
public enum LabelPolicy {
    ALL,
    FRAUD_ONLY,
    NONE
}
