package io.vigil.cli;

import static io.vigil.cli.VigilCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCommandTest.Run;
import io.vigil.models.DecisionBands;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.schemas.ModelEvent;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.serde.MalformedRecordException;
import io.vigil.schemas.topics.TopicRegistry;
import io.vigil.testkit.KafkaExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil model train} and {@code evaluate} over a small simulated feature log in a real
 * broker: four weeks of 300 transactions a day, written in Kafka transactions like the feature
 * job's, labels seven days after each transaction.
 */
class ModelCommandITCase {

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static TopicRegistry topics;

    @TempDir Path dir;

    @BeforeAll
    static void produceTheFeatureLog() {
        topics = KAFKA.freshTopics();
        new FeatureLogFixture(28, 300).produce(KAFKA.producerProperties(), topics);
    }

    @Test
    void trainsBothAlgorithmsRegistersThemAndEvaluatesChampionAgainstChallenger() throws Exception {
        Run train =
                vigil(
                        kafka(
                                "model",
                                "train",
                                "--name",
                                "fraud",
                                "--train-from",
                                "2018-04-08",
                                "--train-to",
                                "2018-04-15",
                                "--code-version",
                                "abc123",
                                "--review-from",
                                "0.3"));

        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out())
                .contains("read 8,400 feature-log rows from " + topics.features().name())
                .contains("(2,100 in [2018-04-08, 2018-04-15), 0 malformed skipped)")
                .contains(
                        "training [2018-04-08, 2018-04-13), validation [2018-04-13, 2018-04-15),"
                                + " label cut-off 2018-04-22T00:00:00Z, label delay P7D")
                .contains("candidates on the validation period (selected by average_precision, *):")
                .containsPattern("\\* +logistic_regression +class_weight=balanced l2=")
                .containsPattern("\\* +xgboost ")
                .containsPattern("\\n1-logreg +logistic_regression ")
                .containsPattern("\\n1-xgboost +xgboost ")
                .containsPattern(
                        "model events \\S+, \\S+ published to "
                                + topics.modelEvents().name().replace(".", "\\."));
        FileSystemModelRegistry registry = registry();
        ModelMetadata xgboost = registry.metadata("fraud", "1-xgboost");
        assertThat(xgboost.trainingWindow().from())
                .isEqualTo(Instant.parse("2018-04-08T00:00:00Z"));
        assertThat(xgboost.trainingWindow().to()).isEqualTo(Instant.parse("2018-04-13T00:00:00Z"));
        assertThat(xgboost.labelCutoff()).isEqualTo(Instant.parse("2018-04-22T00:00:00Z"));
        assertThat(xgboost.codeVersion()).isEqualTo("abc123");
        assertThat(xgboost.parentVersion()).isNull();
        assertThat(xgboost.decisionBands()).isEqualTo(new DecisionBands(0.3, 0.9));
        assertThat(xgboost.metrics().get("validation_auc_roc")).isGreaterThan(0.8);
        assertThat(registry.metadata("fraud", "1-logreg").algorithm())
                .isEqualTo("logistic_regression");

        assertThat(
                        vigil(kafka("model", "alias", "fraud", "1-logreg", "--as", "champion"))
                                .exitCode())
                .isZero();
        Run challenger = vigil(kafka("model", "alias", "fraud", "1-xgboost", "--as", "challenger"));
        assertThat(challenger.exitCode()).as(challenger.err()).isZero();

        Run evaluate =
                vigil(
                        kafka(
                                "model",
                                "evaluate",
                                "fraud",
                                "--from",
                                "2018-04-22",
                                "--to",
                                "2018-04-29"));

        assertThat(evaluate.exitCode()).as(evaluate.err()).isZero();
        // The default protocol is the handbook's: cards known compromised are left out.
        assertThat(evaluate.out())
                .containsPattern(
                        "handbook protocol: [\\d,]+ of 2,100 rows left out \\(cards with a fraud"
                                + " reported before their day, for a transaction since 2018-04-08\\)")
                .contains(
                        "model fraud on the test period [2018-04-22, 2018-04-29), labels known at"
                                + " 2018-05-06T00:00:00Z, handbook protocol:")
                .containsPattern(
                        "model events \\S+, \\S+ published to "
                                + topics.modelEvents().name().replace(".", "\\."));
        Run vigilProtocol =
                vigil(
                        kafka(
                                "model",
                                "evaluate",
                                "fraud",
                                "--from",
                                "2018-04-22",
                                "--to",
                                "2018-04-29",
                                "--protocol",
                                "vigil",
                                "--reason",
                                "compare protocols"));
        assertThat(vigilProtocol.exitCode()).as(vigilProtocol.err()).isZero();
        assertThat(vigilProtocol.out())
                .contains(
                        "model fraud on the test period [2018-04-22, 2018-04-29), labels known at"
                                + " 2018-05-06T00:00:00Z, vigil protocol:")
                .containsPattern(
                        "VERSION +ROLE +ALGORITHM +ROWS +FRAUDS +AUC ROC +AP +CP@100\\n"
                                + "1-logreg +champion +logistic_regression +2,100 +\\d+ +0\\.[89]\\d+"
                                + " +0\\.\\d+ +0\\.\\d+\\n"
                                + "1-xgboost +challenger \\(shadow\\) +xgboost +2,100 +\\d+ +0\\.[89]\\d+"
                                + " +0\\.\\d+ +0\\.\\d+\\n"
                                + "difference +2nd - 1st +[+-]0\\.\\d+ +[+-]0\\.\\d+ +[+-]0\\.\\d+\\n")
                .contains(
                        "recorded in the evaluation history "
                                + registryRoot()
                                        .resolve("fraud/evaluations.jsonl")
                                        .toAbsolutePath());
        assertThat(registry().evaluations("fraud", "1-xgboost"))
                .hasSize(2)
                .allSatisfy(
                        e -> {
                            assertThat(e.evaluation().metrics().get("test_auc_roc"))
                                    .isGreaterThan(0.8);
                            assertThat(e.evaluation().comparedWith()).containsExactly("1-logreg");
                            assertThat(e.eventId()).isNotNull();
                        })
                .extracting(e -> e.evaluation().protocol() + " " + e.reason())
                .containsExactly(
                        "handbook vigil model evaluate [2018-04-22, 2018-04-29) handbook protocol",
                        "vigil compare protocols");
        assertThat(registry().metadata("fraud", "1-xgboost")).isEqualTo(xgboost);
        assertThat(
                        vigil(
                                        "model",
                                        "show",
                                        "fraud",
                                        "1-xgboost",
                                        "--registry",
                                        registryRoot().toString())
                                .out())
                .contains("latest offline evaluation (of 2, in fraud/evaluations.jsonl):")
                .contains("protocol                    vigil\n")
                .contains("rows                        2,100, ")
                .containsPattern(
                        "\\[2018-04-22, 2018-04-29\\) +2018-05-06 +vigil +2,100 +\\d+ +0\\.\\d+"
                                + " +0\\.\\d+ +100 +0\\.\\d+ +1-logreg");

        // A second run is a child of the champion.
        Run retrain =
                vigil(
                        kafka(
                                "model",
                                "train",
                                "--name",
                                "fraud",
                                "--train-from",
                                "2018-04-15",
                                "--train-to",
                                "2018-04-22",
                                "--code-version",
                                "abc124"));
        assertThat(retrain.exitCode()).as(retrain.err()).isZero();
        assertThat(registry().metadata("fraud", "2-xgboost").parentVersion()).isEqualTo("1-logreg");

        List<String> events = new ArrayList<>();
        for (ModelEvent e : modelEvents(10)) {
            events.add(e.getType() + (e.getReason().equals("evaluated") ? " evaluated" : ""));
        }
        assertThat(events)
                .containsExactly(
                        "REGISTERED",
                        "REGISTERED",
                        "ALIAS_SET",
                        "ALIAS_SET",
                        "OTHER evaluated",
                        "OTHER evaluated",
                        "OTHER evaluated",
                        "OTHER evaluated",
                        "REGISTERED",
                        "REGISTERED");
    }

    @Test
    void aWindowWithoutKnownLabelsIsRefusedAndNothingIsRegistered() {
        // Labels arrive seven days after each transaction: at 2018-04-20 none of these is known.
        Run train =
                vigil(
                        kafka(
                                "model",
                                "train",
                                "--name",
                                "fraud",
                                "--train-from",
                                "2018-04-13",
                                "--train-to",
                                "2018-04-20",
                                "--cutoff",
                                "2018-04-20"));

        assertThat(train.exitCode()).as(train.out()).isEqualTo(1);
        assertThat(train.errLines()).as(train.err()).hasSize(1);
        assertThat(train.err())
                .isEqualTo(
                        "vigil: no fraud label known at the cut-off 2018-04-20T00:00:00Z for"
                                + " transactions in the training period [2018-04-13, 2018-04-18)"
                                + " (8,400 labels read from "
                                + topics.labels().name()
                                + "): nothing to learn or measure with\n");
        assertThat(registryRoot()).doesNotExist();
    }

    @Test
    void aTestPeriodWithoutRowsIsRefusedAndNothingIsStored() throws IOException {
        Path model = dir.resolve("model.onnx");
        Files.write(model, new FeatureLogFixture(21, 100).onnxModel());
        Run register =
                vigil(
                        "model",
                        "register",
                        model.toString(),
                        "--name",
                        "fraud",
                        "--version",
                        "1",
                        "--features",
                        "v1",
                        "--registry",
                        registryRoot().toString(),
                        "--metadata",
                        "{\"training_window\": {\"from\": \"2018-04-01T00:00:00Z\", \"to\":"
                                + " \"2018-04-15T00:00:00Z\"}, \"label_cutoff\":"
                                + " \"2018-04-22T00:00:00Z\"}");
        assertThat(register.exitCode()).as(register.err()).isZero();

        Run evaluate =
                vigil(
                        kafka(
                                "model",
                                "evaluate",
                                "fraud",
                                "--versions",
                                "1",
                                "--from",
                                "2018-06-01",
                                "--to",
                                "2018-06-08"));

        assertThat(evaluate.exitCode()).isEqualTo(1);
        assertThat(evaluate.err())
                .isEqualTo(
                        "vigil: no feature-log rows in the test period [2018-06-01, 2018-06-08)"
                                + " (8,400 rows read from "
                                + topics.features().name()
                                + ")\n");
        assertThat(registryRoot().resolve("fraud/evaluations.jsonl")).doesNotExist();
    }

    private String[] kafka(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(
                List.of(
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--topic-prefix",
                        topics.transactions().name().replace("transactions", ""),
                        "--registry",
                        registryRoot().toString()));
        return all.toArray(String[]::new);
    }

    private Path registryRoot() {
        return dir.resolve("registry");
    }

    private FileSystemModelRegistry registry() {
        return FileSystemModelRegistry.open(registryRoot(), ModelEventPublisher.none());
    }

    private List<ModelEvent> modelEvents(int expected) throws MalformedRecordException {
        AvroSerde<ModelEvent> serde = AvroSerde.of(ModelEvent.class);
        List<ModelEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                KAFKA.readAll(topics.modelEvents().name(), expected, Duration.ofSeconds(20))) {
            events.add(serde.deserialize(r.topic(), r.partition(), r.offset(), r.value()));
        }
        return events;
    }
}
