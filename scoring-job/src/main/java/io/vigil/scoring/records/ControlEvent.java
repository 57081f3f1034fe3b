package io.vigil.scoring.records;

import io.vigil.features.records.LabelEvent;
import io.vigil.features.records.RejectedRecord;

/**
 * What the job broadcasts to every scoring subtask: exactly one of a model change or a fraud label;
 * or, before the broadcast, a record that could not be decoded.
 */
public class ControlEvent {

    public ModelChange modelChange;
    public LabelEvent label;
    public RejectedRecord rejected;

    public ControlEvent() {}

    public static ControlEvent of(ModelChange change) {
        ControlEvent e = new ControlEvent();
        e.modelChange = change;
        return e;
    }

    public static ControlEvent of(LabelEvent label) {
        ControlEvent e = new ControlEvent();
        e.label = label;
        return e;
    }

    public static ControlEvent of(RejectedRecord rejected) {
        ControlEvent e = new ControlEvent();
        e.rejected = rejected;
        return e;
    }
}
