package io.vigil.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vigil.models.DecisionBands;
import io.vigil.models.FeatureCatalog;
import io.vigil.models.InputSignature;
import io.vigil.models.InvalidModelException;
import io.vigil.models.ModelArtifact;
import io.vigil.models.ModelFeature;
import io.vigil.models.ModelMetadata;
import io.vigil.models.ModelRegistryException;
import io.vigil.models.OfflineEvaluation;
import io.vigil.models.OfflineEvaluationTest;
import io.vigil.models.TestModels;
import io.vigil.models.TestModels.Output;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.schemas.ChallengerMode;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.ModelEventType;
import io.vigil.schemas.feast.FeastType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemModelRegistryTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final Attribution ALICE = new Attribution("alice", "weekly retrain");

    @TempDir Path root;
    private final List<ModelEvent> events = new ArrayList<>();
    private FileSystemModelRegistry registry;

    @BeforeEach
    void open() {
        registry =
                new FileSystemModelRegistry(
                        root, FeatureCatalog.v1(), events::add, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void registersAVersionWithReadOnlyFilesAndCompleteMetadata() throws IOException {
        ModelMetadata stored = register("fraud", "1");

        assertThat(stored.sha256()).hasSize(64);
        assertThat(stored.registeredBy()).isEqualTo("alice");
        assertThat(stored.registeredAt()).isEqualTo(NOW);
        assertThat(registry.metadata("fraud", "1")).isEqualTo(stored);
        assertThat(registry.models()).containsExactly("fraud");
        assertThat(registry.versions("fraud")).containsExactly(stored);

        Path dir = Path.of(registry.uri("fraud", "1"));
        assertThat(dir).isEqualTo(root.resolve("fraud/versions/1").toAbsolutePath());
        for (String file : List.of("model.onnx", "metadata.json")) {
            assertThat(
                            PosixFilePermissions.toString(
                                    Files.getPosixFilePermissions(dir.resolve(file))))
                    .isEqualTo("r--r--r--");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("r-xr-xr-x");
        assertThat(Files.readString(dir.resolve("metadata.json")))
                .contains("\"registered_by\" : \"alice\"", "\"label_cutoff\"", "customer_spending");

        ModelArtifact artifact = registry.load("fraud", "1");
        assertThat(artifact.onnx()).isEqualTo(TestModels.defaultOnnx());
        try (OnnxScorer scorer = OnnxScorer.load(artifact)) {
            assertThat(scorer.score(new float[15])).isBetween(0.0, 1.0);
        }

        assertThat(events).hasSize(1);
        ModelEvent event = events.get(0);
        assertThat(event.getType()).isEqualTo(ModelEventType.REGISTERED);
        assertThat(event.getSha256()).isEqualTo(stored.sha256());
        assertThat(event.getUri()).isEqualTo(registry.uri("fraud", "1").toString());
        assertThat(event.getActor()).isEqualTo("alice");
        assertThat(event.getReason()).isEqualTo("weekly retrain");
    }

    @Test
    void aVersionIsWrittenOnce() {
        ModelMetadata first = register("fraud", "1");
        byte[] other = TestModels.logistic(TestModels.defaultWeights(), 1f, Output.PAIRS);

        assertThatThrownBy(
                        () ->
                                registry.register(
                                        TestModels.draft("fraud", "1", Output.PAIRS), other, ALICE))
                .isInstanceOf(ModelRegistryException.class)
                .hasMessageContaining("model fraud 1 is already registered")
                .hasMessageContaining(first.sha256());
        assertThat(registry.load("fraud", "1").onnx()).isEqualTo(TestModels.defaultOnnx());
        assertThat(registry.audit("fraud")).hasSize(1);
        assertThat(events).hasSize(1);
    }

    @Test
    void refusesAFileOnnxRuntimeCannotLoadAndStoresNothing() {
        byte[] corrupt = "not an onnx file".getBytes();
        assertThatThrownBy(
                        () ->
                                registry.register(
                                        TestModels.draft("fraud", "1", Output.PAIRS),
                                        corrupt,
                                        ALICE))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model fraud 1: ONNX Runtime cannot load the model");
        assertNothingStored();
    }

    @Test
    void refusesInputsThatNoFeatureViewProvides() {
        ModelMetadata draft = TestModels.draft("fraud", "1", Output.PAIRS);
        List<ModelFeature> features = new ArrayList<>(draft.input().features());
        features.set(4, new ModelFeature("customer_spending:nb_tx_2d", FeastType.INT64));
        features.set(5, new ModelFeature("merchant_risk:risk_1d", FeastType.DOUBLE));
        ModelMetadata unknown =
                withInput(
                        draft,
                        new InputSignature(
                                TestModels.INPUT,
                                features,
                                Map.of("customer_spending", 1, "terminal_risk", 1)));
        assertThatThrownBy(() -> registry.register(unknown, TestModels.defaultOnnx(), ALICE))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("inputs match no known feature")
                .hasMessageContaining("customer_spending v1 has no feature nb_tx_2d")
                .hasMessageContaining("unknown feature view merchant_risk");

        ModelMetadata futureView =
                withInput(
                        draft,
                        new InputSignature(
                                TestModels.INPUT,
                                draft.input().features(),
                                Map.of("customer_spending", 2, "terminal_risk", 1)));
        assertThatThrownBy(() -> registry.register(futureView, TestModels.defaultOnnx(), ALICE))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("feature view customer_spending v2 is unknown");
        assertNothingStored();
    }

    @Test
    void refusesADraftWhoseExpectedSha256DoesNotMatch() {
        ModelMetadata draft = TestModels.draft("fraud", "1", Output.PAIRS);
        ModelMetadata expecting =
                new ModelMetadata(
                        draft.name(),
                        draft.version(),
                        "0".repeat(64),
                        draft.input(),
                        draft.outputName(),
                        draft.algorithm(),
                        draft.hyperparameters(),
                        draft.trainingWindow(),
                        draft.labelCutoff(),
                        draft.metrics(),
                        draft.referenceProfile(),
                        draft.decisionBands(),
                        draft.codeVersion(),
                        draft.parentVersion(),
                        null,
                        null);
        assertThatThrownBy(() -> registry.register(expecting, TestModels.defaultOnnx(), ALICE))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("expects sha256 " + "0".repeat(64));
        assertNothingStored();
    }

    @Test
    void detectsAFileChangedAfterRegistration() throws IOException {
        register("fraud", "1");
        Path onnx = root.resolve("fraud/versions/1/model.onnx");
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length - 1] ^= 1;
        // The registry made it read-only; a careless admin (root here) can still write it.
        onnx.toFile().setWritable(true);
        Files.write(onnx, bytes);

        assertThatThrownBy(() -> registry.load("fraud", "1"))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model fraud 1: sha256 mismatch")
                .hasMessageContaining("the file was changed or corrupted");
    }

    @Test
    void loadsAVersionFromItsUriAloneWithItsDecisionBands() {
        ModelMetadata draft = TestModels.draft("fraud", "1", Output.PAIRS);
        ModelMetadata stored =
                registry.register(
                        ModelMetadata.builder("fraud", "1")
                                .input(draft.input())
                                .outputName(draft.outputName())
                                .algorithm(draft.algorithm())
                                .trainingWindow(draft.trainingWindow())
                                .labelCutoff(draft.labelCutoff())
                                .codeVersion(draft.codeVersion())
                                .decisionBands(new DecisionBands(0.2, 0.6))
                                .build(),
                        TestModels.defaultOnnx(),
                        ALICE);

        ModelArtifact artifact =
                FileSystemModelRegistry.loadArtifact(URI.create(events.get(0).getUri()));
        assertThat(artifact.metadata()).isEqualTo(stored);
        assertThat(artifact.metadata().decisionBands()).isEqualTo(new DecisionBands(0.2, 0.6));
        assertThat(artifact.onnx()).isEqualTo(TestModels.defaultOnnx());
    }

    @Test
    void loadingFromAUriRefusesWhatCannotBeServedWithTheReason() throws IOException {
        register("fraud", "1");
        URI uri = registry.uri("fraud", "1");

        assertThatThrownBy(() -> FileSystemModelRegistry.loadArtifact(URI.create("s3://b/fraud/1")))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining(
                        "cannot load a model from s3://b/fraud/1: not a local directory");
        URI missing = registry.uri("fraud", "9");
        assertThatThrownBy(() -> FileSystemModelRegistry.loadArtifact(missing))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("no " + Path.of(missing).resolve("metadata.json"));

        // A version directory copied to another name would announce one version, serve another.
        Path copy = root.resolve("fraud/versions/2");
        Files.createDirectories(copy);
        for (String file : List.of("model.onnx", "metadata.json")) {
            Files.copy(Path.of(uri).resolve(file), copy.resolve(file));
        }
        assertThatThrownBy(() -> FileSystemModelRegistry.loadArtifact(copy.toUri()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("describes model fraud 1")
                .hasMessageContaining("expected .../fraud/versions/1");

        Path onnx = Path.of(uri).resolve("model.onnx");
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[0] ^= 1;
        onnx.toFile().setWritable(true);
        Files.write(onnx, bytes);
        assertThatThrownBy(() -> FileSystemModelRegistry.loadArtifact(uri))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model fraud 1: sha256 mismatch");
        Files.delete(onnx);
        assertThatThrownBy(() -> FileSystemModelRegistry.loadArtifact(uri))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("model fraud 1: its ONNX file " + onnx + " is missing");
    }

    @Test
    void recordsEvaluationsBesideTheImmutableVersionAuditedAndAnnounced() throws IOException {
        register("fraud", "1");
        register("fraud", "2");
        Path metadataFile = Path.of(registry.uri("fraud", "1")).resolve("metadata.json");
        byte[] metadataBefore = Files.readAllBytes(metadataFile);
        OfflineEvaluation first = OfflineEvaluationTest.week(0.8968);
        OfflineEvaluation second = OfflineEvaluationTest.week(0.9001);
        Attribution bob = new Attribution("bob", "weekly report");

        EvaluationEntry stored = registry.recordEvaluation("fraud", "1", first, bob);
        registry.recordEvaluation("fraud", "2", second, ALICE);
        registry.recordEvaluation("fraud", "1", second, bob);

        assertThat(stored.evaluatedAt()).isEqualTo(NOW);
        assertThat(stored.evaluatedBy()).isEqualTo("bob");
        assertThat(stored.reason()).isEqualTo("weekly report");
        assertThat(registry.evaluations("fraud", "1"))
                .extracting(EvaluationEntry::evaluation)
                .containsExactly(first, second);
        assertThat(registry.evaluations("fraud", "1").get(0)).isEqualTo(stored);
        assertThat(registry.evaluations("fraud", "2")).hasSize(1);
        assertThat(registry.evaluations("other", "1")).isEmpty();
        assertThat(Files.readAllBytes(metadataFile)).isEqualTo(metadataBefore);
        assertThat(Files.readString(root.resolve("fraud/evaluations.jsonl")))
                .contains("\"label_delay\":\"PT168H\"", "\"test_auc_roc\":0.8968");

        AuditEntry audited = registry.audit("fraud").get(2);
        assertThat(audited.type()).isEqualTo(ModelEventType.OTHER);
        assertThat(audited.eventId()).isEqualTo(stored.eventId());
        assertThat(audited.actor()).isEqualTo("bob");
        assertThat(audited.reason()).isEqualTo(ModelRegistry.EVALUATED);
        assertThat(audited.detail())
                .isEqualTo(
                        "test [2018-08-08T00:00:00Z, 2018-08-15T00:00:00Z), vigil protocol, 67080"
                                + " rows, 568 frauds, test_auc_roc=0.8968,"
                                + " test_average_precision=0.6382");
        ModelEvent event = events.get(2);
        assertThat(event.getEventId()).isEqualTo(stored.eventId());
        assertThat(event.getType()).isEqualTo(ModelEventType.OTHER);
        assertThat(event.getReason()).isEqualTo("evaluated");
        assertThat(event.getVersion()).isEqualTo("1");
        assertThat(event.getSha256()).isEqualTo(registry.metadata("fraud", "1").sha256());
        assertThat(events).hasSize(5);
    }

    @Test
    void refusesAnEvaluationOfAMissingVersionAndStoresNothing() {
        register("fraud", "1");
        assertThatThrownBy(
                        () ->
                                registry.recordEvaluation(
                                        "fraud", "7", OfflineEvaluationTest.week(0.9), ALICE))
                .isInstanceOf(ModelRegistryException.class)
                .hasMessageContaining("model fraud has no version 7 (registered: [1])");
        assertThat(root.resolve("fraud/evaluations.jsonl")).doesNotExist();
        assertThat(registry.audit("fraud")).hasSize(1);
        assertThat(events).hasSize(1);
    }

    @Test
    void readsEvaluationsThatTheCliWroteBeforeTheRegistryRecordedThem() throws IOException {
        register("fraud", "1");
        // As `vigil model evaluate` of commit cc196a5 appended them: flat, no event id.
        Files.writeString(
                root.resolve("fraud/evaluations.jsonl"),
                "{\"evaluated_at\":\"2026-11-23T01:02:03Z\",\"evaluated_by\":\"root\","
                        + "\"model\":\"fraud\",\"version\":\"1\",\"from\":\"2018-08-08T00:00:00Z\","
                        + "\"to\":\"2018-08-15T00:00:00Z\",\"label_cutoff\":\"2018-08-22T00:00:00Z\","
                        + "\"label_delay\":\"P7D\",\"protocol\":\"handbook\","
                        + "\"known_since\":\"2018-07-25T00:00:00Z\",\"k\":100,\"rows\":58264,"
                        + "\"frauds\":385,\"metrics\":{\"test_auc_roc\":0.8682},"
                        + "\"compared_with\":[\"1-xgboost\"],\"features_topic\":\"vigil.features\","
                        + "\"labels_topic\":\"vigil.labels\"}\n");
        registry.recordEvaluation("fraud", "1", OfflineEvaluationTest.week(0.9), ALICE);

        List<EvaluationEntry> history = registry.evaluations("fraud", "1");
        assertThat(history).hasSize(2);
        EvaluationEntry old = history.get(0);
        assertThat(old.eventId()).isNull();
        assertThat(old.evaluatedBy()).isEqualTo("root");
        assertThat(old.evaluation().protocol()).isEqualTo("handbook");
        assertThat(old.evaluation().labelDelay()).isEqualTo(Duration.ofDays(7));
        assertThat(old.evaluation().knownSince()).isEqualTo(Instant.parse("2018-07-25T00:00:00Z"));
        assertThat(old.evaluation().rows()).isEqualTo(58_264);
        assertThat(old.evaluation().metrics()).containsEntry("test_auc_roc", 0.8682);
        assertThat(old.evaluation().comparedWith()).containsExactly("1-xgboost");
        assertThat(history.get(1).eventId()).isNotNull();
    }

    @Test
    void aBrokenEvaluationLineIsAnErrorNamingTheLine() throws IOException {
        register("fraud", "1");
        registry.recordEvaluation("fraud", "1", OfflineEvaluationTest.week(0.9), ALICE);
        Files.writeString(
                root.resolve("fraud/evaluations.jsonl"),
                "{\"version\": \"1\", \"k\": 0}\n",
                StandardOpenOption.APPEND);
        assertThatThrownBy(() -> registry.evaluations("fraud", "1"))
                .isInstanceOf(ModelRegistryException.class)
                .hasMessageContaining("evaluations.jsonl line 2");
    }

    @Test
    void refusesAliasesToMissingVersions() {
        register("fraud", "1");
        assertThatThrownBy(() -> registry.setChampion("fraud", "7", ALICE))
                .isInstanceOf(ModelRegistryException.class)
                .hasMessageContaining("model fraud has no version 7 (registered: [1])");
        assertThatThrownBy(() -> registry.setChampion("other", "1", ALICE))
                .hasMessageContaining("model other has no version 1 (registered: [])");
        assertThat(registry.aliases("fraud")).isEqualTo(ModelAliases.none("fraud"));
        assertThat(events).hasSize(1);
    }

    @Test
    void championChallengerPromoteAndRollback() {
        register("fraud", "1");
        register("fraud", "2");
        register("fraud", "3");

        registry.setChampion("fraud", "1", ALICE);
        assertThatThrownBy(
                        () -> registry.setChallenger("fraud", "2", ChallengerMode.CANARY, 0, ALICE))
                .hasMessageContaining("canary share in (0, 1]");
        registry.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, ALICE);
        registry.setChallenger("fraud", "3", ChallengerMode.CANARY, 0.1, ALICE);
        ModelAliases promoted = registry.promote("fraud", ALICE);
        assertThat(promoted).isEqualTo(new ModelAliases("fraud", "3", null, List.of("1")));
        ModelAliases rolledBack = registry.rollback("fraud", ALICE);
        assertThat(rolledBack).isEqualTo(new ModelAliases("fraud", "1", null, List.of()));
        assertThat(registry.aliases("fraud")).isEqualTo(rolledBack);
        assertThatThrownBy(() -> registry.rollback("fraud", ALICE))
                .hasMessageContaining("no previous champion to roll back to");
        assertThatThrownBy(() -> registry.promote("fraud", ALICE))
                .hasMessageContaining("no challenger to promote");

        List<ModelEvent> aliasEvents = events.subList(3, events.size());
        assertThat(aliasEvents)
                .extracting(e -> e.getType() + " " + e.getAlias() + " " + e.getVersion())
                .containsExactly(
                        "ALIAS_SET champion 1",
                        "ALIAS_SET challenger 2",
                        "ALIAS_SET challenger 3",
                        "PROMOTED champion 3",
                        "ROLLED_BACK champion 1");
        assertThat(aliasEvents.get(2).getChallengerMode()).isEqualTo(ChallengerMode.CANARY);
        assertThat(aliasEvents.get(2).getCanaryShare()).isEqualTo(0.1);
        assertThat(aliasEvents.get(1).getChallengerMode()).isEqualTo(ChallengerMode.SHADOW);

        List<AuditEntry> audit = registry.audit("fraud");
        assertThat(audit).hasSize(8);
        assertThat(audit)
                .extracting(AuditEntry::eventId)
                .containsExactlyElementsOf(events.stream().map(ModelEvent::getEventId).toList());
        AuditEntry promotion = audit.get(6);
        assertThat(promotion.actor()).isEqualTo("alice");
        assertThat(promotion.at()).isEqualTo(NOW);
        assertThat(promotion.reason()).isEqualTo("weekly retrain");
        assertThat(promotion.detail())
                .isEqualTo("champion=1, challenger=3 CANARY 0.1 -> champion=3");
    }

    @Test
    void aChangeWaitsForAWriterInAnotherProcessAndIsRefusedAfterTheLockWait() throws Exception {
        register("fraud", "1");
        FileSystemModelRegistry impatient =
                new FileSystemModelRegistry(
                        root,
                        FeatureCatalog.v1(),
                        events::add,
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        Duration.ofMillis(300));
        Process holder =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                RegistryLockHolder.class.getName(),
                                root.toString())
                        .redirectErrorStream(true)
                        .start();
        try {
            assertThat(
                            new BufferedReader(
                                            new InputStreamReader(
                                                    holder.getInputStream(),
                                                    StandardCharsets.UTF_8))
                                    .readLine())
                    .isEqualTo("locked");
            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.setChampion("fraud", "1", ALICE))
                    .isInstanceOf(ModelRegistryException.class)
                    .hasMessage(
                            "the registry at "
                                    + root
                                    + " is locked by another process; gave up after PT0.3S")
                    .hasCauseInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThan(Duration.ofMillis(250));
            assertThat(impatient.aliases("fraud")).isEqualTo(ModelAliases.none("fraud"));
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(impatient.setChampion("fraud", "1", ALICE).champion()).isEqualTo("1");
    }

    @Test
    void conditionalRollbackAndCanaryShadowingRefuseAfterALaterChange() {
        register("fraud", "1");
        register("fraud", "2");
        register("fraud", "3");
        registry.setChampion("fraud", "1", ALICE);
        registry.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, ALICE);
        registry.promote("fraud", ALICE);
        int announced = events.size();

        assertThatThrownBy(() -> registry.rollback("fraud", "1", ALICE))
                .hasMessageContaining("1 is no longer the champion (champion: 2); not rolled back");
        assertThatThrownBy(() -> registry.shadowCanary("fraud", "3", ALICE))
                .hasMessageContaining("3 is not the canary challenger (challenger: none)");
        registry.setChallenger("fraud", "3", ChallengerMode.SHADOW, 0, ALICE);
        assertThatThrownBy(() -> registry.shadowCanary("fraud", "3", ALICE))
                .hasMessageContaining("3 is not the canary challenger (challenger: 3 in SHADOW)");
        assertThat(events).hasSize(announced + 1);

        registry.setChallenger("fraud", "3", ChallengerMode.CANARY, 0.2, ALICE);
        assertThat(registry.shadowCanary("fraud", "3", ALICE))
                .isEqualTo(
                        new ModelAliases(
                                "fraud",
                                "2",
                                new ModelAliases.Challenger("3", ChallengerMode.SHADOW, 0),
                                List.of("1")));
        assertThat(registry.rollback("fraud", "2", ALICE))
                .isEqualTo(
                        new ModelAliases(
                                "fraud",
                                "1",
                                new ModelAliases.Challenger("3", ChallengerMode.SHADOW, 0),
                                List.of()));
        assertThat(events.subList(events.size() - 2, events.size()))
                .extracting(
                        e ->
                                e.getType()
                                        + " "
                                        + e.getAlias()
                                        + " "
                                        + e.getVersion()
                                        + " "
                                        + e.getChallengerMode())
                .containsExactly("ALIAS_SET challenger 3 SHADOW", "ROLLED_BACK champion 1 NONE");
    }

    @Test
    void republishesTheCurrentAliasesWithoutChangingThem() {
        register("fraud", "1");
        register("fraud", "2");
        assertThatThrownBy(() -> registry.republish("fraud", ALICE))
                .hasMessageContaining("model fraud has no champion: nothing to republish");
        registry.setChampion("fraud", "1", ALICE);
        registry.setChallenger("fraud", "2", ChallengerMode.CANARY, 0.25, ALICE);
        ModelAliases before = registry.aliases("fraud");
        int announced = events.size();

        assertThat(registry.republish("fraud", ALICE)).isEqualTo(before);

        assertThat(registry.aliases("fraud")).isEqualTo(before);
        List<ModelEvent> republished = events.subList(announced, events.size());
        assertThat(republished)
                .extracting(
                        e ->
                                e.getType()
                                        + " "
                                        + e.getAlias()
                                        + " "
                                        + e.getVersion()
                                        + " "
                                        + e.getChallengerMode()
                                        + " "
                                        + e.getCanaryShare())
                .containsExactly(
                        "ALIAS_SET champion 1 NONE null", "ALIAS_SET challenger 2 CANARY 0.25");
        assertThat(republished)
                .allSatisfy(e -> assertThat(e.getSha256()).isNotBlank())
                .allSatisfy(
                        e ->
                                assertThat(e.getUri())
                                        .endsWith("/fraud/versions/" + e.getVersion() + "/"));
        List<AuditEntry> audit = registry.audit("fraud");
        assertThat(audit.get(audit.size() - 1).detail())
                .isEqualTo("republished champion=1, challenger=2 CANARY 0.25");
    }

    @Test
    void removesTheChallenger() {
        register("fraud", "1");
        register("fraud", "2");
        registry.setChampion("fraud", "1", ALICE);
        assertThatThrownBy(() -> registry.removeChallenger("fraud", ALICE))
                .hasMessageContaining("no challenger to remove");
        registry.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, ALICE);
        assertThat(registry.removeChallenger("fraud", ALICE).challenger()).isNull();
        assertThat(events.get(events.size() - 1).getType()).isEqualTo(ModelEventType.ALIAS_REMOVED);
        assertThat(events.get(events.size() - 1).getVersion()).isEqualTo("2");
    }

    @Test
    void aFailedPublishKeepsTheChangeAndSaysSo() {
        FlakyPublisher publisher = new FlakyPublisher();
        publisher.down = true;
        FileSystemModelRegistry offline = registryPublishingTo(publisher);
        assertThatThrownBy(
                        () ->
                                offline.register(
                                        TestModels.draft("fraud", "1", Output.PAIRS),
                                        TestModels.defaultOnnx(),
                                        ALICE))
                .isInstanceOf(ModelRegistryException.class)
                .hasMessageContaining("REGISTERED of model fraud 1 is stored and audited as event")
                .hasMessageContaining("broker down");
        assertThat(offline.versions("fraud")).hasSize(1);
        assertThat(offline.audit("fraud")).hasSize(1);
    }

    @Test
    void aChangeLeftUnpublishedIsPublishedFirstByTheNextChange() {
        FlakyPublisher publisher = new FlakyPublisher();
        FileSystemModelRegistry flaky = registryPublishingTo(publisher);
        registerIn(flaky, "1");
        publisher.down = true;
        assertThatThrownBy(() -> flaky.setChampion("fraud", "1", ALICE))
                .isInstanceOf(ModelRegistryException.class)
                .hasMessageContaining("is stored and audited as event")
                .hasMessageContaining("the model's next registry change publishes it first");
        assertThat(flaky.aliases("fraud").champion()).isEqualTo("1");

        publisher.down = false;
        registerIn(flaky, "2");

        assertThat(publisher.published)
                .extracting(ModelEvent::getType, ModelEvent::getVersion)
                .containsExactly(
                        tuple(ModelEventType.REGISTERED, "1"),
                        tuple(ModelEventType.ALIAS_SET, "1"),
                        tuple(ModelEventType.REGISTERED, "2"));
        assertThat(publisher.published)
                .extracting(ModelEvent::getEventId)
                .containsExactlyElementsOf(
                        flaky.audit("fraud").stream().map(AuditEntry::eventId).toList());
        assertThat(flaky.publishPending("fraud")).isZero();
    }

    @Test
    void aChangeIsRefusedUnchangedWhileAnEarlierOneStillCannotBePublished() {
        FlakyPublisher publisher = new FlakyPublisher();
        FileSystemModelRegistry flaky = registryPublishingTo(publisher);
        registerIn(flaky, "1");
        registerIn(flaky, "2");
        publisher.down = true;
        assertThatThrownBy(() -> flaky.setChampion("fraud", "1", ALICE))
                .isInstanceOf(ModelRegistryException.class);

        assertThatThrownBy(() -> flaky.setChallenger("fraud", "2", ChallengerMode.SHADOW, 0, ALICE))
                .isInstanceOf(ModelRegistryException.class)
                .hasMessageContaining("ALIAS_SET of model fraud 1 is stored and audited")
                .hasMessageContaining("broker down");
        assertThatThrownBy(() -> flaky.publishPending("fraud"))
                .isInstanceOf(ModelRegistryException.class)
                .hasMessageContaining("broker down");
        assertThat(flaky.aliases("fraud").challenger()).isNull();
        assertThat(flaky.audit("fraud")).hasSize(3);

        publisher.down = false;
        assertThat(flaky.publishPending("fraud")).isEqualTo(1);
        assertThat(flaky.publishPending("fraud")).isZero();
        assertThat(publisher.published)
                .extracting(ModelEvent::getType, ModelEvent::getVersion)
                .containsExactly(
                        tuple(ModelEventType.REGISTERED, "1"),
                        tuple(ModelEventType.REGISTERED, "2"),
                        tuple(ModelEventType.ALIAS_SET, "1"));
    }

    @Test
    void aRegistryFromBeforeThePublishedOffsetRepublishesNothing() throws IOException {
        register("fraud", "1");
        registry.setChampion("fraud", "1", ALICE);
        Files.delete(root.resolve("fraud/published.offset"));
        events.clear();

        assertThat(registry.publishPending("fraud")).isZero();
        register("fraud", "2");

        assertThat(events).extracting(ModelEvent::getVersion).containsExactly("2");
        assertThat(registry.publishPending("fraud")).isZero();
    }

    @Test
    void reopensWhatAnotherInstanceWrote() {
        register("fraud", "1");
        registry.setChampion("fraud", "1", ALICE);
        FileSystemModelRegistry reopened =
                FileSystemModelRegistry.open(root, ModelEventPublisher.none());
        assertThat(reopened.aliases("fraud").champion()).isEqualTo("1");
        assertThat(reopened.load("fraud", "1").metadata())
                .isEqualTo(registry.metadata("fraud", "1"));
    }

    @Test
    void refusesIdentifiersThatAreNotSafeDirectoryNames() {
        assertThatThrownBy(() -> registry.metadata("../etc", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model name must be");
        assertThatThrownBy(() -> registry.aliases("a/b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private FileSystemModelRegistry registryPublishingTo(ModelEventPublisher publisher) {
        return new FileSystemModelRegistry(
                root, FeatureCatalog.v1(), publisher, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Publishes into a list, or fails like a broker that is down. */
    private static final class FlakyPublisher implements ModelEventPublisher {
        final List<ModelEvent> published = new ArrayList<>();
        boolean down;

        @Override
        public void publish(ModelEvent event) {
            if (down) {
                throw new IllegalStateException("broker down");
            }
            published.add(event);
        }
    }

    private static void registerIn(FileSystemModelRegistry target, String version) {
        target.register(
                TestModels.draft("fraud", version, Output.PAIRS), TestModels.defaultOnnx(), ALICE);
    }

    private ModelMetadata register(String name, String version) {
        return registry.register(
                TestModels.draft(name, version, Output.PAIRS), TestModels.defaultOnnx(), ALICE);
    }

    private void assertNothingStored() {
        assertThat(registry.models()).isEmpty();
        assertThat(registry.versions("fraud")).isEmpty();
        assertThat(registry.audit("fraud")).isEmpty();
        assertThat(events).isEmpty();
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).map(root::relativize).map(Path::toString))
                    .allMatch(f -> f.equals(".lock"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ModelMetadata withInput(ModelMetadata draft, InputSignature input) {
        return ModelMetadata.builder(draft.name(), draft.version())
                .input(input)
                .outputName(draft.outputName())
                .algorithm(draft.algorithm())
                .trainingWindow(draft.trainingWindow())
                .labelCutoff(draft.labelCutoff())
                .codeVersion(draft.codeVersion())
                .build();
    }
}
