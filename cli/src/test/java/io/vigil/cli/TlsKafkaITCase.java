package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCommandTest.Run;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link SecuredKafkaCommands} against a broker that speaks only TLS and requires a client
 * certificate (mutual TLS, the settings of docs/security.md's example); a client with the broker's
 * trust store but no certificate of its own is refused.
 */
class TlsKafkaITCase extends SecuredKafkaCommands {

    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.withTls();

    @Override
    KafkaExtension kafka() {
        return KAFKA;
    }

    /** The TLS broker has no authorizer: a trusted certificate is enough. */
    @Override
    void grantCommands(TopicRegistry topics) {}

    @Test
    void aClientWithoutACertificateIsRefused() throws IOException {
        String withoutKeyStore =
                KAFKA.clientSecurity().entrySet().stream()
                        .filter(e -> !e.getKey().startsWith("ssl.keystore."))
                        .filter(e -> !e.getKey().equals("ssl.key.password"))
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("\n"));
        Path settings =
                Files.writeString(dir.resolve("no-certificate.properties"), withoutKeyStore);

        Run count =
                VigilCommandTest.vigil(
                        secured(
                                KAFKA.freshTopics(),
                                settings,
                                "topics",
                                "count",
                                "--kafka-timeout",
                                "10s"));

        assertThat(count.exitCode()).isNotZero();
        // TLS 1.3 reports the refusal after the client's side of the handshake is done.
        assertThat(count.err())
                .startsWith(
                        "vigil: Kafka at " + KAFKA.bootstrapServers() + " could not list topics: ")
                .containsAnyOf("bad_certificate", "SSL handshake failed");
    }
}
