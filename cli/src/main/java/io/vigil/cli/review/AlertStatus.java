package io.vigil.cli.review;

import java.util.Locale;

/** Which alerts a listing wants: those still waiting for a person, those decided, or all. */
public enum AlertStatus {
    PENDING,
    REVIEWED,
    ALL;

    /** Parses {@code pending}, {@code reviewed} or {@code all}, any case. */
    public static AlertStatus parse(String value) {
        for (AlertStatus status : values()) {
            if (status.name().equalsIgnoreCase(value.trim())) {
                return status;
            }
        }
        throw new IllegalArgumentException(
                "'" + value + "' is not an alert status (pending, reviewed or all)");
    }

    public boolean admits(QueueEntry entry) {
        return switch (this) {
            case PENDING -> entry.pending();
            case REVIEWED -> !entry.pending();
            case ALL -> true;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
