package io.vigil.drift.records;

import org.apache.flink.api.java.tuple.Tuple2;

/**
 * What one decision tells about one model version: the values of its subjects (every feature with a
 * value, and {@value #SCORE} for that version's score if it has one), at the decision's event time.
 * A Flink POJO; subjects and values are parallel arrays.
 */
public class Observation {

    /** The subject name of a model's score. */
    public static final String SCORE = "score";

    public String model;
    public String version;
    public long eventTimeMillis;
    public String[] subjects;
    public double[] values;

    public Observation() {}

    public Observation(
            String model,
            String version,
            long eventTimeMillis,
            String[] subjects,
            double[] values) {
        this.model = model;
        this.version = version;
        this.eventTimeMillis = eventTimeMillis;
        this.subjects = subjects;
        this.values = values;
    }

    /** The key the drift windows are kept under. */
    public Tuple2<String, String> modelVersion() {
        return Tuple2.of(model, version);
    }
}
