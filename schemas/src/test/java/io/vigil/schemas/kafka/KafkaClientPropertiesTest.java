package io.vigil.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {

    @TempDir Path dir;

    @Test
    void loadsTheSettingsOfAPropertiesFileSorted() throws IOException {
        Path file =
                write(
                        "# a secured cluster\n"
                                + "security.protocol = SASL_SSL\n"
                                + "sasl.mechanism=SCRAM-SHA-512\n"
                                + "sasl.jaas.config=org.apache.kafka.common.security.scram."
                                + "ScramLoginModule required \\\n"
                                + "    username=\"vigil\" password=\"s3cret\";\n");

        Map<String, String> settings = KafkaClientProperties.load(file);

        assertThat(settings)
                .containsExactly(
                        Map.entry(
                                "sasl.jaas.config",
                                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                        + " username=\"vigil\" password=\"s3cret\";"),
                        Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                        Map.entry("security.protocol", "SASL_SSL"));
        assertThat(KafkaClientProperties.redacted(settings))
                .isEqualTo(
                        "{sasl.jaas.config=****, sasl.mechanism=SCRAM-SHA-512,"
                                + " security.protocol=SASL_SSL}");
        assertThat(
                        KafkaClientProperties.redacted(
                                new TreeMap<>(
                                        Map.of(
                                                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                                                "basic.auth.user.info", "vigil:s3cret",
                                                "ssl.key.password", "p",
                                                "ssl.keystore.type", "PEM"))))
                .isEqualTo(
                        "{basic.auth.user.info=****, ssl.key.password=****, ssl.keystore.key=****,"
                                + " ssl.keystore.type=PEM}");
    }

    @Test
    void refusesWhatVigilSetsItselfAndAFileItCannotRead() throws IOException {
        Path file = write("bootstrap.servers=elsewhere:9092\ngroup.id=g\nacks=1\n");

        assertThatThrownBy(() -> KafkaClientProperties.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "the Kafka client properties file "
                                + file
                                + " sets [bootstrap.servers, group.id], which Vigil sets itself"
                                + " (bootstrap servers have their own option)");
        assertThatThrownBy(() -> KafkaClientProperties.load(dir.resolve("missing.properties")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read the Kafka client properties file ")
                .hasMessageContaining("NoSuchFileException");
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("kafka.properties"), content);
    }
}
