package io.vigil.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.models.FeatureCatalog;
import io.vigil.models.ModelRegistryException;
import io.vigil.models.TestModels;
import io.vigil.models.TestModels.Output;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Registry changes reach a real broker's model-events topic, in order, keyed by model name. */
class KafkaModelEventPublisherITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Attribution BOB = new Attribution("bob", "drift alert 42 approved");

    @TempDir Path root;

    @Test
    void publishesEveryRegistryChangeInOrder() throws Exception {
        TopicRegistry topics = KAFKA.freshTopics();
        String topic = topics.modelEvents().name();
        AvroSerde<ModelEvent> serde = AvroSerde.of(ModelEvent.class);
        try (KafkaModelEventPublisher publisher =
                new KafkaModelEventPublisher(
                        ModelEventsConfig.of(KAFKA.bootstrapServers(), topic))) {
            FileSystemModelRegistry registry =
                    new FileSystemModelRegistry(
                            root, FeatureCatalog.v1(), publisher, Clock.systemUTC());
            for (String version : List.of("1", "2")) {
                registry.register(
                        TestModels.draft("fraud", version, Output.PAIRS),
                        TestModels.defaultOnnx(),
                        BOB);
            }
            registry.setChampion("fraud", "1", BOB);
            registry.setChallenger("fraud", "2", ChallengerMode.CANARY, 0.25, BOB);
            registry.promote("fraud", BOB);
            registry.rollback("fraud", BOB);

            List<ConsumerRecord<byte[], byte[]>> records =
                    KAFKA.readAll(topic, 6, Duration.ofSeconds(20));
            assertThat(records).hasSize(6);
            List<ModelEvent> events = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("fraud");
                events.add(serde.deserialize(r.topic(), r.partition(), r.offset(), r.value()));
            }
            assertThat(events)
                    .extracting(e -> e.getType() + " " + e.getVersion())
                    .containsExactly(
                            "REGISTERED 1",
                            "REGISTERED 2",
                            "ALIAS_SET 1",
                            "ALIAS_SET 2",
                            "PROMOTED 2",
                            "ROLLED_BACK 1");
            ModelEvent canary = events.get(3);
            assertThat(canary.getAlias()).isEqualTo("challenger");
            assertThat(canary.getChallengerMode()).isEqualTo(ChallengerMode.CANARY);
            assertThat(canary.getCanaryShare()).isEqualTo(0.25);
            assertThat(canary.getSha256()).isEqualTo(registry.metadata("fraud", "2").sha256());
            assertThat(canary.getUri()).isEqualTo(registry.uri("fraud", "2").toString());
            assertThat(events).allMatch(e -> e.getActor().equals("bob"));
            assertThat(events)
                    .extracting(ModelEvent::getEventId)
                    .containsExactlyElementsOf(
                            registry.audit("fraud").stream().map(AuditEntry::eventId).toList());
        }
    }

    @Test
    void aMissingTopicFailsThePublishButKeepsTheChange() {
        try (KafkaModelEventPublisher publisher =
                new KafkaModelEventPublisher(
                        new ModelEventsConfig(
                                KAFKA.bootstrapServers(),
                                "no-such-topic-" + System.nanoTime(),
                                Duration.ofSeconds(2),
                                Map.of()))) {
            FileSystemModelRegistry registry =
                    new FileSystemModelRegistry(
                            root, FeatureCatalog.v1(), publisher, Clock.systemUTC());
            assertThatThrownBy(
                            () ->
                                    registry.register(
                                            TestModels.draft("fraud", "1", Output.PAIRS),
                                            TestModels.defaultOnnx(),
                                            BOB))
                    .isInstanceOf(ModelRegistryException.class)
                    .hasMessageContaining("is stored and audited as event")
                    .hasMessageContaining("cannot publish model event");
            assertThat(registry.versions("fraud")).hasSize(1);
        }
    }
}
