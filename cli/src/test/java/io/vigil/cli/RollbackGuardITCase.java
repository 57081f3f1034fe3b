package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.cli.guard.GuardLimits;
import io.vigil.cli.guard.GuardLoop;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.AuditEntry;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.KafkaModelEventPublisher;
import io.vigil.models.registry.ModelEventsConfig;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.Decision;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.ModelEventType;
import io.vigil.schemas.ModelRole;
import io.vigil.schemas.ModelScore;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaAcls;
import io.vigil.testkit.KafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollback guard against a real broker: decisions written to the decisions topic as the scoring
 * job writes them, a registry publishing its model events to Kafka, and a guard started only after
 * the bad decisions were written, as a guard restarted mid-incident would be, and whose registry is
 * unreadable at first. The broker takes only SASL logins and admits the guard's user only to what
 * docs/security.md lists for it: reading decisions, writing model events.
 */
class RollbackGuardITCase {

    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.withSasl();

    private static final Attribution BY = new Attribution("alice", "weekly promotion");

    @TempDir Path dir;

    @Test
    void rollsBackAPromotedChampionWhoseInferencesFailAndAnnouncesIt() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        String modelEvents = topics.modelEvents().name();
        String decisions = topics.decisions().name();
        KAFKA.grant(
                KafkaAcls.forPrincipal(KAFKA.clientPrincipal())
                        .readTopics(decisions)
                        .writeTopics(modelEvents));
        // The guard's registry publishes its rollbacks as the guard's user.
        try (KafkaModelEventPublisher publisher =
                new KafkaModelEventPublisher(
                        new ModelEventsConfig(
                                KAFKA.bootstrapServers(),
                                modelEvents,
                                Duration.ofSeconds(30),
                                KAFKA.clientSecurity()))) {
            FileSystemModelRegistry registry = FileSystemModelRegistry.open(dir, publisher);
            for (String version : List.of("1", "2")) {
                TestRegistry.register(registry, version, Map.of(), BY);
            }
            registry.setChampion("fraud", "1", BY);
            registry.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, BY);
            registry.promote("fraud", BY);

            AvroSerde<Decision> serde = AvroSerde.of(Decision.class);
            try (KafkaProducer<byte[], byte[]> producer = KAFKA.newProducer()) {
                for (int i = 0; i < 400; i++) {
                    Decision.Builder d =
                            TestDecisions.approvedByChampion("t" + i)
                                    .setChampion(TestDecisions.score("2", 0.2))
                                    .setEmittedAt(Instant.now());
                    if (i % 10 == 0) { // 10 % of its inferences fail
                        d.setChampion(new ModelScore("fraud", "2", null, "OrtException: boom"))
                                .setDecidedBy(ModelRole.FALLBACK)
                                .setFallbackReason("champion_error");
                    }
                    producer.send(
                            new ProducerRecord<>(
                                    decisions, ("t" + i).getBytes(), serde.serialize(d.build())));
                }
                producer.send(
                        new ProducerRecord<>(
                                decisions,
                                "x".getBytes(),
                                "not a decision".getBytes(StandardCharsets.UTF_8)));
                producer.flush();
            }

            // The registry is unreadable when the guard starts: it must try again, not stop.
            Path aliases = dir.resolve("fraud").resolve("aliases.json");
            byte[] readable = Files.readAllBytes(aliases);
            Files.writeString(aliases, "{");

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            AtomicBoolean stop = new AtomicBoolean();
            try (GuardLoop loop =
                    GuardLoop.start(
                            registry,
                            new GuardLimits(
                                    0.01, 0.05, 200, Duration.ofMinutes(5), Duration.ofHours(1)),
                            "vigil-guard",
                            0,
                            KAFKA.clientConfig(),
                            decisions,
                            Duration.ofMillis(200),
                            new PrintWriter(out),
                            new PrintWriter(err),
                            Clock.systemUTC())) {
                CompletableFuture<Void> running =
                        CompletableFuture.runAsync(() -> loop.run(stop::get));
                try {
                    await().atMost(Duration.ofSeconds(30))
                            .until(
                                    () ->
                                            err.toString()
                                                    .contains(
                                                            "judging the serving versions failed"));
                    assertThat(registry.audit("fraud"))
                            .last()
                            .extracting(AuditEntry::type)
                            .isEqualTo(ModelEventType.PROMOTED);
                    Files.write(aliases, readable);
                    await().atMost(Duration.ofSeconds(30))
                            .untilAsserted(
                                    () ->
                                            assertThat(registry.aliases("fraud").champion())
                                                    .isEqualTo("1"));
                } finally {
                    stop.set(true); // the consumer is closed only after its thread let go of it
                    running.get(10, TimeUnit.SECONDS);
                }
            }

            assertThat(out.toString())
                    .contains(
                            "rolled back fraud 2 (champion) to 1: error rate 10.00% > limit 1.00%"
                                    + " (40 of 400 inferences failed");
            assertThat(err.toString()).contains("vigil guard: skipped");
            List<ModelEvent> events = modelEvents(modelEvents, 6);
            ModelEvent rollback = events.get(events.size() - 1);
            assertThat(rollback.getType()).isEqualTo(ModelEventType.ROLLED_BACK);
            assertThat(rollback.getVersion()).isEqualTo("1");
            assertThat(rollback.getActor()).isEqualTo("vigil-guard");
            assertThat(rollback.getReason()).startsWith("automatic: error rate 10.00%");
        }
    }

    private static List<ModelEvent> modelEvents(String topic, int expected)
            throws MalformedRecordException {
        AvroSerde<ModelEvent> serde = AvroSerde.of(ModelEvent.class);
        List<ModelEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readAll(topic, expected, Duration.ofSeconds(20))) {
            events.add(serde.deserialize(r.topic(), r.partition(), r.offset(), r.value()));
        }
        assertThat(events).hasSize(expected);
        return events;
    }
}
