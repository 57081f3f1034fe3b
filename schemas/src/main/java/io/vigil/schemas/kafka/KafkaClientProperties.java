package io.vigil.schemas.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Kafka client settings from a properties file (the {@code --kafka-properties} option of every job
 * and command): what a secured cluster asks of its clients ({@code security.protocol}, {@code
 * sasl.*}, {@code ssl.*}) or any other client tuning, applied to every producer, consumer and admin
 * client of a component. A file rather than options keeps secrets out of command lines, process
 * lists and Flink's web UI, as Kafka's own tools do with {@code --command-config}.
 *
 * <p>Keys that a component sets itself are refused, so a file cannot silently change what Vigil
 * relies on: the bootstrap servers (an option of their own), serializers, group ids and
 * transactional ids.
 */
public final class KafkaClientProperties {

    /** Keys each component sets itself. */
    public static final List<String> MANAGED =
            List.of(
                    "bootstrap.servers",
                    "key.serializer",
                    "value.serializer",
                    "key.deserializer",
                    "value.deserializer",
                    "group.id",
                    // Static membership: one file shared by several components would fence them.
                    "group.instance.id",
                    "transactional.id");

    private static final List<String> SECRET_MARKERS =
            List.of("password", "secret", "jaas", "token", "credentials");

    private KafkaClientProperties() {}

    /**
     * The settings of {@code file} (Java properties format), sorted by key.
     *
     * @throws IllegalArgumentException if the file cannot be read or sets a managed key
     */
    public static Map<String, String> load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot read the Kafka client properties file " + file + ": " + e, e);
        }
        Map<String, String> settings = new TreeMap<>();
        properties.forEach((k, v) -> settings.put(k.toString().trim(), v.toString().trim()));
        TreeSet<String> managed = new TreeSet<>(settings.keySet());
        managed.retainAll(MANAGED);
        if (!managed.isEmpty()) {
            throw new IllegalArgumentException(
                    "the Kafka client properties file "
                            + file
                            + " sets "
                            + managed
                            + ", which Vigil sets itself (bootstrap servers have their own option)");
        }
        return settings;
    }

    /** {@code settings} for a log line: values of keys that look secret are masked. */
    public static String redacted(Map<String, ?> settings) {
        return settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "****" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        // ssl.keystore.key holds a PEM private key; *.user.info a user:password pair.
        return SECRET_MARKERS.stream().anyMatch(lower::contains)
                || lower.endsWith(".key")
                || lower.endsWith("user.info");
    }
}
