package io.vigil.schemas.kafka;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client settings of a job's {@code --kafka-properties} file ({@link
 * KafkaClientProperties}): read once where the job's main runs, then carried in its config to every
 * Kafka source and sink. The connectors' builders take them before the job's own settings, so what
 * the job sets itself wins. {@link #toString} masks secrets, so a config can be logged.
 */
public record KafkaClientSettings(Map<String, String> values) implements Serializable {

    /** No file: a plaintext cluster without authentication. */
    public static final KafkaClientSettings NONE = new KafkaClientSettings(Map.of());

    public KafkaClientSettings {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * The settings of {@code file}, or {@link #NONE} when it is null.
     *
     * @throws IllegalArgumentException naming {@code --kafka-properties} if the file cannot be read
     *     or sets what Vigil sets itself
     */
    public static KafkaClientSettings load(Path file) {
        if (file == null) {
            return NONE;
        }
        try {
            return new KafkaClientSettings(KafkaClientProperties.load(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kafka-properties: " + e.getMessage(), e);
        }
    }

    /** A copy for a connector builder's {@code setProperties} or {@code setKafkaProducerConfig}. */
    public Properties properties() {
        Properties properties = new Properties();
        properties.putAll(values);
        return properties;
    }

    @Override
    public String toString() {
        return KafkaClientProperties.redacted(values);
    }
}
