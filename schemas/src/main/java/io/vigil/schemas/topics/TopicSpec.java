package io.vigil.schemas.topics;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/** A resolved topic: its name in this deployment, partitions and the Avro record it carries. */
public record TopicSpec<T extends SpecificRecord>(
        Topic topic, String name, int partitions, Class<T> recordClass) {

    public TopicSpec {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(recordClass, "recordClass");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name of " + topic + " must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + " needs at least one partition, got " + partitions);
        }
    }
}
