package io.vigil.cli;

import io.vigil.schemas.kafka.KafkaClientSettings;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.simulator.kafka.KafkaTransactionProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Option;

/**
 * Where Kafka is, how to reach it and what the topics are called. The bootstrap address defaults to
 * the {@code VIGIL_BOOTSTRAP} environment variable, else 127.0.0.1:9092 (the local stack of {@code
 * ./vigil up}): fine for a user tool, unlike job code, which must be told its endpoints. A secured
 * cluster's client settings come from {@code --kafka-properties} or {@code VIGIL_KAFKA_PROPERTIES}
 * ({@link KafkaClientSettings}) and go into every client the command opens.
 */
public final class KafkaOptions {

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:VIGIL_BOOTSTRAP:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (default: $VIGIL_BOOTSTRAP or 127.0.0.1:9092).")
    String bootstrap;

    @Option(
            names = "--topic-prefix",
            paramLabel = "PREFIX",
            defaultValue = TopicRegistry.DEFAULT_PREFIX,
            description = "Topic name prefix (default: ${DEFAULT-VALUE}), e.g. vigil.transactions.")
    String topicPrefix;

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            defaultValue = "${env:VIGIL_KAFKA_PROPERTIES}",
            description =
                    "Kafka client settings (Java properties: security.protocol, sasl.*, ssl.*,"
                            + " ...) for every Kafka client of the command (default:"
                            + " $VIGIL_KAFKA_PROPERTIES, if set).")
    Path propertiesFile;

    private Map<String, String> fileSettings;

    @Option(
            names = "--kafka-timeout",
            paramLabel = "DURATION",
            defaultValue = "PT15S",
            converter = Converters.DurationConverter.class,
            description =
                    "How long to wait for Kafka before giving up (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    public String bootstrap() {
        return bootstrap;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    public TopicRegistry topics() {
        return TopicRegistry.withPrefix(topicPrefix);
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * The settings of {@code --kafka-properties}, empty without it.
     *
     * @throws IllegalArgumentException if the file cannot be read or sets what Vigil sets itself
     */
    public Map<String, String> fileSettings() {
        if (fileSettings == null) {
            // An exported but empty $VIGIL_KAFKA_PROPERTIES means none, as for the shell.
            fileSettings =
                    KafkaClientSettings.load(
                                    propertiesFile == null || propertiesFile.toString().isBlank()
                                            ? null
                                            : propertiesFile)
                            .values();
        }
        return fileSettings;
    }

    /** Client properties shared by admin, producer and consumer. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>(fileSettings());
        props.put("bootstrap.servers", bootstrap);
        props.put("default.api.timeout.ms", (int) timeout.toMillis());
        props.put("request.timeout.ms", (int) Math.min(timeout.toMillis(), 30_000));
        return props;
    }

    /**
     * A transaction producer's properties: the simulator's defaults (acks=all, idempotent, lz4),
     * the settings of {@code --kafka-properties}, and sends that wait at most {@code
     * --kafka-timeout}.
     */
    public Map<String, Object> transactionProducerProperties() {
        Map<String, Object> props = KafkaTransactionProducer.defaultProperties(bootstrap);
        props.putAll(fileSettings());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        return props;
    }
}
