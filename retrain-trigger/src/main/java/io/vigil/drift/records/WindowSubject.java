package io.vigil.drift.records;

import java.util.Objects;

/** The state key of one subject's live bin counts in one window (of the current model version). */
public class WindowSubject {

    public long windowStart;
    public String subject;

    public WindowSubject() {}

    public WindowSubject(long windowStart, String subject) {
        this.windowStart = windowStart;
        this.subject = subject;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowSubject other
                && windowStart == other.windowStart
                && Objects.equals(subject, other.subject);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowStart, subject);
    }
}
