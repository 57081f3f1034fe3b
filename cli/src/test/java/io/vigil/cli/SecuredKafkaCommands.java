package io.vigil.cli;

import static io.vigil.cli.VigilCommandITCase.prefixOf;
import static io.vigil.cli.VigilCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCommandTest.Run;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.testkit.KafkaAcls;
import io.vigil.testkit.KafkaExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a broker that only takes authenticated clients: every client of a
 * command (admin, producer, consumer, the registry's model-event publisher) uses the settings of
 * {@code --kafka-properties}, and without them the command fails instead of hanging. Subclasses
 * name the broker: {@link SecuredKafkaITCase} (SASL PLAIN), {@link TlsKafkaITCase} (mutual TLS),
 * {@link SaslTlsKafkaITCase} (SCRAM over TLS).
 */
abstract class SecuredKafkaCommands {

    @TempDir Path dir;

    /** The broker, registered by the subclass. */
    abstract KafkaExtension kafka();

    /**
     * Lets the commands' user do what the test's commands need, on a broker that admits only what
     * ACLs allow: {@code simulate} and {@code replay} write transactions and labels, {@code topics
     * count} describes every topic, {@code model promote} writes a model event.
     */
    void grantCommands(TopicRegistry topics) {
        kafka().grant(
                        KafkaAcls.forPrincipal(kafka().clientPrincipal())
                                .writeTopics(
                                        topics.transactions().name(),
                                        topics.labels().name(),
                                        topics.modelEvents().name())
                                .describeTopics(
                                        topics.all().stream()
                                                .map(TopicSpec::name)
                                                .toArray(String[]::new)));
    }

    @Test
    void everyClientOfACommandAuthenticatesWithTheSettingsOfTheFile() throws IOException {
        TopicRegistry topics = kafka().freshTopics();
        grantCommands(topics);
        Path settings = kafka().clientSettingsFile(dir);

        Run simulate =
                vigil(
                        secured(
                                topics,
                                settings,
                                "simulate",
                                "--customers",
                                "100",
                                "--terminals",
                                "200",
                                "--max-tx",
                                "300"));
        Path csv =
                Files.writeString(
                        dir.resolve("handbook.csv"),
                        "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,"
                                + "TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO\n"
                                + "900,2018-04-01 00:00:31,596,3156,57.16,31,0,0,0\n"
                                + "901,2018-04-01 00:07:56,2,1365,146.0,476,0,1,1\n");
        Run replay = vigil(secured(topics, settings, "replay", csv.toString()));
        Run count = vigil(secured(topics, settings, "topics", "count"));
        Path registry = TestRegistry.championAndChallenger(dir.resolve("registry"));
        Run promote =
                vigil(
                        secured(
                                topics,
                                settings,
                                "model",
                                "promote",
                                "fraud",
                                "--registry",
                                registry.toString()));

        assertThat(simulate.exitCode()).as(simulate.err()).isZero();
        assertThat(simulate.out()).startsWith("produced 300 transactions (");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("produced 2 transactions (1 frauds)");
        assertThat(count.exitCode()).as(count.err()).isZero();
        assertThat(count.out()).containsPattern(topics.transactions().name() + " +4 +302");
        assertThat(promote.exitCode()).as(promote.err()).isZero();
        assertThat(kafka().readAll(topics.modelEvents().name(), 1, Duration.ofSeconds(20)))
                .hasSize(1);
    }

    @Test
    void withoutTheSettingsACommandFailsWithinItsKafkaTimeout() {
        TopicRegistry topics = kafka().freshTopics();

        Run count =
                vigil(
                        "topics",
                        "count",
                        "--bootstrap",
                        kafka().bootstrapServers(),
                        "--topic-prefix",
                        prefixOf(topics),
                        "--kafka-timeout",
                        "3s");

        assertThat(count.exitCode()).isNotZero();
        assertThat(count.err())
                .contains(
                        "no answer from Kafka at "
                                + kafka().bootstrapServers()
                                + " within 3 s (list topics); is it running?")
                .contains("; does it need client settings? (--kafka-properties)");
    }

    @Test
    void aFileThatSetsWhatVigilSetsItselfIsRefused() throws IOException {
        Path settings =
                Files.writeString(
                        dir.resolve("kafka.properties"), "bootstrap.servers=other:9092\n");

        Run count = vigil(secured(kafka().freshTopics(), settings, "topics", "count"));

        assertThat(count.exitCode()).isEqualTo(1);
        assertThat(count.err())
                .isEqualTo(
                        "vigil: --kafka-properties: the Kafka client properties file "
                                + settings
                                + " sets [bootstrap.servers], which Vigil sets itself (bootstrap"
                                + " servers have their own option)\n");
    }

    String[] secured(TopicRegistry topics, Path settings, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(
                List.of(
                        "--bootstrap",
                        kafka().bootstrapServers(),
                        "--topic-prefix",
                        prefixOf(topics),
                        "--kafka-properties",
                        settings.toString()));
        return args.toArray(String[]::new);
    }
}
