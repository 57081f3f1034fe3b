package io.vigil.models;

import java.time.Instant;
import java.util.Objects;

/** The event-time range {@code [from, to)} of the transactions a model was trained on. */
public record TrainingWindow(Instant from, Instant to) {

    public TrainingWindow {
        Objects.requireNonNull(from, "training window start");
        Objects.requireNonNull(to, "training window end");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException(
                    "training window start " + from + " must be before its end " + to);
        }
    }

    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }
}
