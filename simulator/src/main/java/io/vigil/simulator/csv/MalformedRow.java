package io.vigil.simulator.csv;

/** A CSV row that was skipped: its 1-based line number, why, and its text (abbreviated). */
public record MalformedRow(long line, String reason, String text) {

    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}
