package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.commands.RetrainCommand;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.RetrainRequest;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil retrain follow} against a real broker: a small simulated feature log (16 days of 200
 * transactions, labels seven days later), retrain requests written in Kafka transactions as the
 * approval service writes them, and a registry whose model {@code fraud} has champion 1 and shadow
 * challenger 2 ({@link TestRegistry}).
 */
class RetrainFollowITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Instant REQUESTED_AT = Instant.parse("2018-04-22T12:00:00Z");

    private static TopicRegistry topics;

    @TempDir Path dir;

    @BeforeAll
    static void produceTheFeatureLog() {
        topics = KAFKA.freshTopics();
        new FeatureLogFixture(16, 200).produce(KAFKA.producerProperties(), topics);
    }

    @Test
    void trainsOneChallengerPerRequestIgnoresRedeliveriesAndRefusesWhatItCannotHandle()
            throws Exception {
        Path registryRoot = TestRegistry.championAndChallenger(dir.resolve("registry"));
        String group = "retrainer-" + UUID.randomUUID();
        RetrainRequest r1 = request("r1", "fraud", null, null);

        long r1Offset = send(List.of(AvroSerde.of(RetrainRequest.class).serialize(r1))).get(0);
        Run first = follow(registryRoot, group, 1);

        assertThat(first.exitCode()).as(first.err()).isZero();
        FileSystemModelRegistry registry =
                FileSystemModelRegistry.open(registryRoot, ModelEventPublisher.none());
        ModelMetadata logreg = registry.metadata("fraud", "3-logreg");
        ModelMetadata xgboost = registry.metadata("fraud", "3-xgboost");
        String better =
                xgboost.metrics().get("validation_average_precision")
                                > logreg.metrics().get("validation_average_precision")
                        ? "3-xgboost"
                        : "3-logreg";
        assertThat(first.out())
                .contains(
                        "request r1: model fraud [2018-04-08, 2018-04-15) labels known at"
                                + " 2018-04-22T12:00:00Z: registered 3-logreg, 3-xgboost (parent"
                                + " 1); "
                                + better
                                + " is now the challenger (shadow), validation_average_precision"
                                + " 0.")
                .contains("handled 1 requests: 1 registered, 0 duplicate, 0 refused");
        for (ModelMetadata v : List.of(logreg, xgboost)) {
            assertThat(v.parentVersion()).isEqualTo("1");
            // Validation is the window's last two days; labels as known at the approval.
            assertThat(v.trainingWindow().from()).isEqualTo(Instant.parse("2018-04-08T00:00:00Z"));
            assertThat(v.trainingWindow().to()).isEqualTo(Instant.parse("2018-04-13T00:00:00Z"));
            assertThat(v.labelCutoff()).isEqualTo(REQUESTED_AT);
            assertThat(v.registeredBy()).isEqualTo("retrain-follower");
        }
        ModelAliases aliases = registry.aliases("fraud");
        assertThat(aliases.champion()).isEqualTo("1");
        assertThat(aliases.challenger())
                .isEqualTo(new ModelAliases.Challenger(better, ChallengerMode.SHADOW, 0));
        List<ModelEvent> events = modelEvents(3);
        assertThat(events)
                .extracting(e -> e.getType() + " " + e.getVersion() + " " + e.getAlias())
                .containsExactly(
                        "REGISTERED 3-logreg null",
                        "REGISTERED 3-xgboost null",
                        "ALIAS_SET " + better + " challenger");
        assertThat(events)
                .allSatisfy(
                        e -> {
                            assertThat(e.getActor()).isEqualTo("retrain-follower");
                            assertThat(e.getReason())
                                    .isEqualTo(
                                            "retrain request r1 approved by alice, alerts a1,a2");
                        });
        assertThat(events.get(2).getChallengerMode()).isEqualTo(ChallengerMode.SHADOW);
        assertThat(committed(group)).isEqualTo(r1Offset + 1);

        // An unknown model, a window without rows, a record that is no request, and r1 again as
        // after a crash before its commit: none trains, none blocks the next.
        AvroSerde<RetrainRequest> serde = AvroSerde.of(RetrainRequest.class);
        List<Long> offsets =
                send(
                        List.of(
                                serde.serialize(request("r2", "nope", null, null)),
                                serde.serialize(
                                        request(
                                                "r3",
                                                "fraud",
                                                Instant.parse("2018-03-01T00:00:00Z"),
                                                Instant.parse("2018-03-08T00:00:00Z"))),
                                "not avro".getBytes(StandardCharsets.UTF_8),
                                serde.serialize(r1)));
        Run second = follow(registryRoot, group, 4);

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.err())
                .contains(
                        "vigil retrain follow: refused request r2 (model nope): unknown model nope"
                                + " (registered models: [fraud])")
                .contains(
                        "vigil retrain follow: refused request r3 (model fraud): no feature-log"
                                + " rows in the training period [2018-03-01, 2018-03-06)")
                .contains(
                        "vigil retrain follow: refused record "
                                + topics.retrainRequests().name()
                                + "/0@"
                                + offsets.get(2)
                                + ": ");
        assertThat(second.out())
                .contains(
                        "request r1: model fraud [2018-04-08, 2018-04-15) labels known at"
                                + " 2018-04-22T12:00:00Z: duplicate, handled before (registered"
                                + " 3-logreg, 3-xgboost, challenger "
                                + better
                                + "); nothing done")
                .contains("handled 4 requests: 0 registered, 1 duplicate, 3 refused");
        assertThat(registry.versions("fraud"))
                .extracting(ModelMetadata::version)
                .containsExactlyInAnyOrder("1", "2", "3-logreg", "3-xgboost");
        assertThat(registry.aliases("fraud")).isEqualTo(aliases);
        assertThat(KAFKA.endOffsetTotal(topics.modelEvents().name())).isEqualTo(3);
        assertThat(committed(group)).isEqualTo(offsets.get(3) + 1);
    }

    private static RetrainRequest request(String id, String model, Instant from, Instant to) {
        return RetrainRequest.newBuilder()
                .setRequestId(id)
                .setModel(model)
                .setBaseVersion("1")
                .setAlertIds(List.of("a1", "a2"))
                .setApprovedBy("alice")
                .setRequestedAt(REQUESTED_AT)
                .setTrainFrom(from)
                .setTrainTo(to)
                .build();
    }

    /** Writes the values in one Kafka transaction, key = a model name; returns their offsets. */
    private static List<Long> send(List<byte[]> values) throws Exception {
        Properties props = new Properties();
        props.putAll(KAFKA.producerProperties());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "approvals-" + UUID.randomUUID());
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (byte[] value : values) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        topics.retrainRequests().name(),
                                        "fraud".getBytes(StandardCharsets.UTF_8),
                                        value)));
            }
            producer.commitTransaction();
        }
        List<Long> offsets = new ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            offsets.add(f.get().offset());
        }
        return offsets;
    }

    record Run(int exitCode, String out, String err) {}

    private static Run follow(Path registryRoot, String group, int maxRequests) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RetrainCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setCaseInsensitiveEnumValuesAllowed(true); // as the vigil root command sets it
        int code =
                cli.execute(
                        "follow",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic-prefix",
                        topics.transactions().name().replace("transactions", ""),
                        "--registry",
                        registryRoot.toString(),
                        "--group-id",
                        group,
                        "--max-requests",
                        Integer.toString(maxRequests),
                        "--metrics-port",
                        "0",
                        "--code-version",
                        "abc123");
        return new Run(code, out.toString(), err.toString());
    }

    private static long committed(String group) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                KAFKA.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.get(new TopicPartition(topics.retrainRequests().name(), 0)).offset();
        }
    }

    private static List<ModelEvent> modelEvents(int expected) throws MalformedRecordException {
        AvroSerde<ModelEvent> serde = AvroSerde.of(ModelEvent.class);
        List<ModelEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readAll(topics.modelEvents().name(), expected, Duration.ofSeconds(20))) {
            events.add(serde.deserialize(r.topic(), r.partition(), r.offset(), r.value()));
        }
        return events;
    }
}
