package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.cli.retrain.RetrainAudit;
import io.vigil.cli.retrain.RetrainMetrics;
import io.vigil.cli.retrain.RetrainOutcome;
import io.vigil.cli.retrain.RetrainRequestLoop;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.RetrainRequest;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil retrain follow} against a real broker: a small simulated feature log (16 days of 200
 * transactions, labels seven days later), retrain requests written in Kafka transactions as the
 * approval service writes them, and a registry whose model {@code fraud} has champion 1 and shadow
 * challenger 2 ({@link TestRegistry}). The broker takes only SASL logins and admits the follower's
 * user only to what docs/security.md lists for {@code vigil retrain follow}.
 */
class RetrainFollowITCase {

    @RegisterExtension static final KafkaExtension KAFKA = KafkaExtension.withSasl();

    private static final Instant REQUESTED_AT = Instant.parse("2018-04-22T12:00:00Z");

    private static TopicRegistry topics;

    @TempDir Path dir;

    @TempDir static Path settingsDir;

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

        long r1Offset =
                send(topics, List.of(AvroSerde.of(RetrainRequest.class).serialize(r1))).get(0);
        Run first = follow(registryRoot, topics, group, 1);

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
                .contains(
                        "handled 1 requests: 1 registered, 0 duplicate, 0 refused; 0 attempts retried");
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
        List<ModelEvent> events = modelEvents(topics, 3);
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
        assertThat(committed(topics, group)).isEqualTo(r1Offset + 1);

        // An unknown model, a window without rows, a record that is no request, and r1 again as
        // after a crash before its commit: none trains, none blocks the next.
        AvroSerde<RetrainRequest> serde = AvroSerde.of(RetrainRequest.class);
        List<Long> offsets =
                send(
                        topics,
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
        Run second = follow(registryRoot, topics, group, 4);

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
                .contains(
                        "handled 4 requests: 0 registered, 1 duplicate, 3 refused; 0 attempts retried");
        assertThat(registry.versions("fraud"))
                .extracting(ModelMetadata::version)
                .containsExactlyInAnyOrder("1", "2", "3-logreg", "3-xgboost");
        assertThat(registry.aliases("fraud")).isEqualTo(aliases);
        assertThat(KAFKA.endOffsetTotal(topics.modelEvents().name())).isEqualTo(3);
        assertThat(committed(topics, group)).isEqualTo(offsets.get(3) + 1);
    }

    @Test
    void aTransientFailureIsTriedAgainUntilItPassesAndResumesWhatWasRegisteredBefore()
            throws Exception {
        Path registryRoot = TestRegistry.championAndChallenger(dir.resolve("registry"));
        FileSystemModelRegistry registry =
                FileSystemModelRegistry.open(registryRoot, ModelEventPublisher.none());
        RetrainRequest r5 = request("r5", "fraud", null, null);
        // As a failure between the request's two registrations leaves the registry; the metric
        // makes 3-logreg the challenger whatever XGBoost scores (a tie keeps the first).
        ModelMetadata logreg =
                TestRegistry.register(
                        registry,
                        "3-logreg",
                        Map.of("validation_average_precision", 1.0),
                        new Attribution("retrain-follower", RetrainAudit.reason(r5)));
        TopicRegistry fresh = KAFKA.freshTopics();
        new FeatureLogFixture(16, 200).produce(KAFKA.producerProperties(), fresh);
        // A directory where the registry's lock file goes: every change fails with an I/O error.
        Path lock = registryRoot.resolve(".lock");
        Files.delete(lock);
        Files.createDirectory(lock);
        String group = "retrainer-" + UUID.randomUUID();
        long offset = send(fresh, List.of(AvroSerde.of(RetrainRequest.class).serialize(r5))).get(0);
        StringWriter err = new StringWriter();

        CompletableFuture<Run> following =
                CompletableFuture.supplyAsync(
                        () ->
                                follow(
                                        registryRoot,
                                        fresh,
                                        group,
                                        1,
                                        err,
                                        "--retry-backoff",
                                        "200ms",
                                        "--retry-backoff-max",
                                        "1s"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!err.toString().contains("attempt 1 failed") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(committedOrNull(fresh, group)).as(err.toString()).isNull();
        Files.delete(lock);
        Run run = following.get(3, TimeUnit.MINUTES);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err())
                .contains(
                        "vigil retrain follow: request r5 (model fraud): attempt 1 failed, trying"
                                + " again in 0.2 s: cannot lock the registry at ")
                .doesNotContain("refused");
        assertThat(run.out())
                .contains(
                        "request r5: model fraud [2018-04-08, 2018-04-15) labels known at"
                                + " 2018-04-22T12:00:00Z: found registered before 3-logreg;"
                                + " registered 3-xgboost (parent 1); 3-logreg is now the"
                                + " challenger (shadow), validation_average_precision 1.0000")
                .containsPattern(
                        "handled 1 requests: 1 registered, 0 duplicate, 0 refused; [1-9][0-9]*"
                                + " attempts retried");
        assertThat(registry.versions("fraud"))
                .extracting(ModelMetadata::version)
                .containsExactlyInAnyOrder("1", "2", "3-logreg", "3-xgboost");
        assertThat(registry.metadata("fraud", "3-logreg")).isEqualTo(logreg);
        assertThat(registry.metadata("fraud", "3-xgboost").parentVersion()).isEqualTo("1");
        assertThat(modelEvents(fresh, 2))
                .extracting(e -> e.getType() + " " + e.getVersion() + " " + e.getAlias())
                .containsExactly("REGISTERED 3-xgboost null", "ALIAS_SET 3-logreg challenger");
        assertThat(committed(fresh, group)).isEqualTo(offset + 1);
    }

    @Test
    void aRedeliveredRequestPublishesTheChallengerChangeItsFirstTryCouldNotPublish()
            throws Exception {
        Path registryRoot = TestRegistry.championAndChallenger(dir.resolve("registry"));
        RetrainRequest r7 = request("r7", "fraud", null, null);
        Attribution by = new Attribution("retrain-follower", RetrainAudit.reason(r7));
        // As a first try leaves the registry when Kafka refuses its last model event: both
        // versions registered, the challenger change stored and audited but not published.
        FileSystemModelRegistry registry =
                FileSystemModelRegistry.open(registryRoot, ModelEventPublisher.none());
        TestRegistry.register(
                registry, "3-logreg", Map.of("validation_average_precision", 0.5), by);
        TestRegistry.register(
                registry, "3-xgboost", Map.of("validation_average_precision", 0.4), by);
        FileSystemModelRegistry brokerDown =
                FileSystemModelRegistry.open(
                        registryRoot,
                        event -> {
                            throw new IllegalStateException("broker down");
                        });
        assertThatThrownBy(
                        () ->
                                brokerDown.setChallenger(
                                        "fraud", "3-logreg", ChallengerMode.SHADOW, 0, by))
                .hasMessageContaining("broker down");
        TopicRegistry fresh = KAFKA.freshTopics();
        String group = "retrainer-" + UUID.randomUUID();
        long offset = send(fresh, List.of(AvroSerde.of(RetrainRequest.class).serialize(r7))).get(0);

        Run run = follow(registryRoot, fresh, group, 1);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "request r7: model fraud [2018-04-08, 2018-04-15) labels known at"
                                + " 2018-04-22T12:00:00Z: duplicate, handled before (registered"
                                + " 3-logreg, 3-xgboost, challenger 3-logreg); published its 1"
                                + " unpublished model events");
        assertThat(modelEvents(fresh, 1))
                .extracting(e -> e.getType() + " " + e.getVersion() + " " + e.getAlias())
                .containsExactly("ALIAS_SET 3-logreg challenger");
        assertThat(committed(fresh, group)).isEqualTo(offset + 1);
    }

    @Test
    void aStopWhileWaitingToTryAgainCommitsNothingAndTheRequestComesAgain() throws Exception {
        TopicRegistry fresh = KAFKA.freshTopics();
        String group = "retrainer-" + UUID.randomUUID();
        long offset =
                send(
                                fresh,
                                List.of(
                                        AvroSerde.of(RetrainRequest.class)
                                                .serialize(request("r6", "fraud", null, null))))
                        .get(0);
        List<String> attempts = new ArrayList<>();
        AtomicLong firstAttemptNanos = new AtomicLong();
        RetrainRequestLoop.Handler unavailable =
                r -> {
                    attempts.add(r.getRequestId());
                    firstAttemptNanos.compareAndSet(0, System.nanoTime());
                    throw new KafkaTopics.KafkaUnavailableException("no answer from Kafka", null);
                };
        // The stop comes a second into the hour-long backoff, so the loop must notice it while
        // it waits on paused partitions, not only between attempts.
        BooleanSupplier stopWhileWaiting =
                () ->
                        firstAttemptNanos.get() != 0
                                && System.nanoTime() - firstAttemptNanos.get() > 1_000_000_000L;

        long start = System.nanoTime();
        try (RetrainMetrics metrics = RetrainMetrics.unserved();
                RetrainRequestLoop loop =
                        loop(fresh, group, metrics, Duration.ofHours(1), Duration.ofHours(1))) {
            long handled = loop.run(unavailable, 0, stopWhileWaiting);

            assertThat(handled).isZero();
            assertThat(metrics.runs(RetrainOutcome.RETRIED)).isEqualTo(1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(committedOrNull(fresh, group)).isNull();

        // The next follower gets the same request; once more unavailable, then handled.
        try (RetrainMetrics metrics = RetrainMetrics.unserved();
                RetrainRequestLoop loop =
                        loop(fresh, group, metrics, Duration.ofMillis(50), Duration.ofMillis(50))) {
            RetrainRequestLoop.Handler backAfterOneMoreFailure =
                    r -> {
                        if (attempts.size() < 2) {
                            return unavailable.handle(r);
                        }
                        attempts.add(r.getRequestId());
                        return new RetrainRequestLoop.Handled(RetrainOutcome.REGISTERED, "done");
                    };
            long handled = loop.run(backAfterOneMoreFailure, 1, () -> false);

            assertThat(handled).isEqualTo(1);
            assertThat(metrics.runs(RetrainOutcome.RETRIED)).isEqualTo(1);
            assertThat(metrics.runs(RetrainOutcome.REGISTERED)).isEqualTo(1);
        }
        assertThat(attempts).containsExactly("r6", "r6", "r6");
        assertThat(committed(fresh, group)).isEqualTo(offset + 1);
    }

    @Test
    // Were the topics not checked, the follower would wait for requests that never come.
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void topicsMissingAtStartEndTheFollowerNamingThemAndThePrefixOption() throws Exception {
        Path registryRoot = TestRegistry.championAndChallenger(dir.resolve("registry"));
        String prefix = "missing-" + UUID.randomUUID() + ".";
        TopicRegistry absent = TopicRegistry.withPrefix(prefix);
        String group = "retrainer-" + UUID.randomUUID();

        Run none = follow(registryRoot, absent, group, 1);

        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err())
                .isEqualTo(
                        "vigil: no topic "
                                + absent.features().name()
                                + ", "
                                + absent.labels().name()
                                + ", "
                                + absent.retrainRequests().name()
                                + " at "
                                + KAFKA.bootstrapServers()
                                + " (check --topic-prefix, now '"
                                + prefix
                                + "')\n");
        assertThat(none.out()).isEmpty();
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get()).noneMatch(t -> t.startsWith(prefix));
            admin.createTopics(
                            List.of(
                                    new NewTopic(absent.features().name(), 1, (short) 1),
                                    new NewTopic(absent.labels().name(), 1, (short) 1)))
                    .all()
                    .get();
        }

        Run noRequests = follow(registryRoot, absent, group, 1);

        assertThat(noRequests.exitCode()).isEqualTo(1);
        assertThat(noRequests.err())
                .startsWith("vigil: no topic " + absent.retrainRequests().name() + " at ");
    }

    private static RetrainRequestLoop loop(
            TopicRegistry topics,
            String group,
            RetrainMetrics metrics,
            Duration initial,
            Duration max) {
        KAFKA.grant(
                KafkaAcls.forPrincipal(KAFKA.clientPrincipal())
                        .readTopics(topics.retrainRequests().name())
                        .readGroup(group));
        return new RetrainRequestLoop(
                KAFKA.clientConfig(),
                group,
                topics.retrainRequests().name(),
                metrics,
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(new StringWriter(), true),
                Clock.systemUTC(),
                new RetrainRequestLoop.Backoff(initial, max));
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
    private static List<Long> send(TopicRegistry topics, List<byte[]> values) throws Exception {
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

    private static Run follow(
            Path registryRoot, TopicRegistry topics, String group, int maxRequests) {
        return follow(registryRoot, topics, group, maxRequests, new StringWriter());
    }

    private static Run follow(
            Path registryRoot,
            TopicRegistry topics,
            String group,
            int maxRequests,
            StringWriter err,
            String... options) {
        KAFKA.grant(
                KafkaAcls.forPrincipal(KAFKA.clientPrincipal())
                        .readTopics(
                                topics.retrainRequests().name(),
                                topics.features().name(),
                                topics.labels().name())
                        .writeTopics(topics.modelEvents().name())
                        .readGroup(group));
        StringWriter out = new StringWriter();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "retrain",
                                "follow",
                                "--bootstrap",
                                KAFKA.bootstrapServers(),
                                "--kafka-properties",
                                KAFKA.clientSettingsFile(settingsDir).toString(),
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
                                "abc123"));
        args.addAll(List.of(options));
        int code =
                VigilCommand.run(
                        args.toArray(String[]::new),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static long committed(TopicRegistry topics, String group) throws Exception {
        Long offset = committedOrNull(topics, group);
        assertThat(offset).as("committed offset of group " + group).isNotNull();
        return offset;
    }

    private static Long committedOrNull(TopicRegistry topics, String group) throws Exception {
        try (Admin admin = admin()) {
            OffsetAndMetadata committed =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get()
                            .get(new TopicPartition(topics.retrainRequests().name(), 0));
            return committed == null ? null : committed.offset();
        }
    }

    /** The test's own admin client: a super user. */
    private static Admin admin() {
        Map<String, Object> client = new HashMap<>(KAFKA.harnessSecurity());
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return Admin.create(client);
    }

    private static List<ModelEvent> modelEvents(TopicRegistry topics, int expected)
            throws MalformedRecordException {
        AvroSerde<ModelEvent> serde = AvroSerde.of(ModelEvent.class);
        List<ModelEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readAll(topics.modelEvents().name(), expected, Duration.ofSeconds(20))) {
            events.add(serde.deserialize(r.topic(), r.partition(), r.offset(), r.value()));
        }
        return events;
    }
}
