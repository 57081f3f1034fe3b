package io.vigil.scoring.models;

import io.vigil.schemas.ChallengerMode;
import io.vigil.scoring.records.ModelAssignment;

/** The champion and the challenger a subtask scores with right now; either may be null. */
public record ModelSet(Slot champion, Slot challenger) {

    public static final ModelSet EMPTY = new ModelSet(null, null);

    /** NONE without a challenger, else its SHADOW or CANARY mode. */
    public ChallengerMode challengerMode() {
        return challenger == null
                ? ChallengerMode.NONE
                : ChallengerMode.valueOf(challenger.assignment().mode);
    }

    /** A role's assignment and the loaded model that runs it. */
    public record Slot(ModelAssignment assignment, LoadedModel model) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Slot s && assignment.equals(s.assignment) && model == s.model;
        }

        @Override
        public int hashCode() {
            return assignment.hashCode();
        }

        @Override
        public String toString() {
            return assignment.toString();
        }
    }
}
