package io.vigil.drift.records;

import io.vigil.features.records.RejectedRecord;

/**
 * What the source emits for one Kafka record: the observations of a decoded decision (one per model
 * version it names, possibly none), or the record it could not decode. Decoding happens in the
 * source so that watermarks are generated per Kafka partition from decision event times.
 */
public class DecisionInput {

    public long eventTimeMillis;
    public Observation[] observations;
    public RejectedRecord rejected;

    public DecisionInput() {}

    public static DecisionInput of(long eventTimeMillis, Observation[] observations) {
        DecisionInput input = new DecisionInput();
        input.eventTimeMillis = eventTimeMillis;
        input.observations = observations;
        return input;
    }

    /**
     * A rejected record carries {@link Long#MIN_VALUE} as event time, so it never moves a
     * watermark.
     */
    public static DecisionInput of(RejectedRecord rejected) {
        DecisionInput input = new DecisionInput();
        input.eventTimeMillis = Long.MIN_VALUE;
        input.rejected = rejected;
        return input;
    }
}
