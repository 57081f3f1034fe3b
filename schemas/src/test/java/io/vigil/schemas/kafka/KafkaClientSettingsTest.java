package io.vigil.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSettingsTest {

    @TempDir Path dir;

    @Test
    void theSettingsOfTheFileShipToTheClusterAndPrintMasked() throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("kafka.properties"),
                        "security.protocol=SASL_SSL\n"
                                + "sasl.mechanism=SCRAM-SHA-512\n"
                                + "sasl.jaas.config=ScramLoginModule required password=\"s3cret\";\n");

        KafkaClientSettings settings = KafkaClientSettings.load(file);

        assertThat(settings.values())
                .containsExactly(
                        entry("sasl.jaas.config", "ScramLoginModule required password=\"s3cret\";"),
                        entry("sasl.mechanism", "SCRAM-SHA-512"),
                        entry("security.protocol", "SASL_SSL"));
        assertThat(settings.properties()).containsAllEntriesOf(settings.values());
        assertThat(javaSerializedCopy(settings)).isEqualTo(settings);
        assertThat(settings.toString())
                .isEqualTo(
                        "{sasl.jaas.config=****, sasl.mechanism=SCRAM-SHA-512,"
                                + " security.protocol=SASL_SSL}");
        assertThatThrownBy(() -> settings.values().put("acks", "1"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void noFileIsNoSettings() {
        assertThat(KafkaClientSettings.load(null)).isEqualTo(KafkaClientSettings.NONE);
        assertThat(KafkaClientSettings.NONE.properties()).isEmpty();
    }

    @Test
    void aBadFileIsAnErrorNamingTheOption() throws IOException {
        Path missing = dir.resolve("missing.properties");
        Path managed = Files.writeString(dir.resolve("managed.properties"), "group.id=other\n");

        assertThatThrownBy(() -> KafkaClientSettings.load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "--kafka-properties: cannot read the Kafka client properties file "
                                + missing);
        assertThatThrownBy(() -> KafkaClientSettings.load(managed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "--kafka-properties: the Kafka client properties file "
                                + managed
                                + " sets [group.id], which Vigil sets itself");
    }

    private static Object javaSerializedCopy(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
