package io.vigil.cli;

import static io.vigil.cli.VigilCommandTest.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCommandTest.Run;
import io.vigil.models.OfflineEvaluation;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelEventPublisher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil model ...} against a registry in a temporary directory: parsing, validation, the
 * refusals (each one line, nothing changed) and the tables. No Kafka: events stay in the audit log.
 */
class ModelCommandTest {

    private static final String METADATA =
            "{\"training_window\": {\"from\": \"2018-04-01T00:00:00Z\", \"to\":"
                    + " \"2018-04-15T00:00:00Z\"}, \"label_cutoff\": \"2018-04-22T00:00:00Z\","
                    + " \"algorithm\": \"logistic_regression\", \"metrics\":"
                    + " {\"validation_auc_roc\": 0.91234, \"validation_average_precision\": 0.5}}";

    private static byte[] onnx;

    @TempDir Path dir;

    @BeforeAll
    static void trainAModel() {
        onnx = new FeatureLogFixture(21, 100).onnxModel();
    }

    @Test
    void registersAVersionAndShowsItInTables() throws IOException {
        Run register = register("1");

        assertThat(register.exitCode()).as(register.err()).isZero();
        assertThat(register.out())
                .contains("registered model fraud version 1 in " + registry().toAbsolutePath())
                .contains(
                        "input features float[N, 15]: request:tx_amount, request:tx_during_weekend")
                .contains("output probabilities, algorithm logistic_regression")
                .containsPattern(
                        "model event [0-9a-f-]{36} not published \\(no --bootstrap or"
                                + " \\$VIGIL_BOOTSTRAP\\): only in the audit log .*audit.jsonl");
        assertThat(register("2").exitCode()).isZero();
        assertThat(alias("1", "--as", "champion").exitCode()).isZero();

        Run list = vigil("model", "list", "--registry", registry().toString());
        Run versions = vigil("model", "list", "fraud", "--registry", registry().toString());

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(lines(list.out()))
                .hasSize(2)
                .satisfies(
                        l -> {
                            assertThat(l.get(0))
                                    .isEqualTo(
                                            "MODEL  VERSIONS  CHAMPION  CHALLENGER  LATEST "
                                                    + " REGISTERED (UTC)");
                            assertThat(l.get(1))
                                    .matches(
                                            "fraud         2  1         -           2      "
                                                    + " \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
                        });
        assertThat(versions.exitCode()).as(versions.err()).isZero();
        List<String> table = lines(versions.out());
        assertThat(table.get(0))
                .isEqualTo(
                        "VERSION  ROLE      ALGORITHM            REGISTERED (UTC)     TRAINED ON"
                                + "                VAL AUC ROC  VAL AP  VAL CP@100");
        assertThat(table.get(1))
                .matches(
                        "1        champion  logistic_regression  [0-9: -]{19}  \\[2018-04-01,"
                                + " 2018-04-15\\)       0.9123  0.5000           -");
        assertThat(table.get(2)).startsWith("2                  logistic_regression  ");
    }

    @Test
    void showsAVersionAndCatchesAChangedFile() throws IOException {
        register("1");

        Run show = vigil("model", "show", "fraud", "1", "--registry", registry().toString());

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out())
                .startsWith("model fraud version 1\n")
                .containsPattern("sha256 +[0-9a-f]{64} \\(matches the file\\)")
                .contains("  14               terminal_risk:risk_30d (DOUBLE)")
                .contains("feature views      customer_spending v1, terminal_risk v1")
                .contains("label cut-off      2018-04-22T00:00:00Z")
                .contains("code version       unknown")
                .containsPattern("\nvalidation_auc_roc +0.9123\n")
                .contains("decision bands     approve < 0.5 <= review < 0.9 <= decline\n")
                .contains("no offline evaluations recorded");

        // Corrupt the stored file behind the registry's back (it is read-only).
        Path file = registry().resolve("fraud/versions/1/model.onnx");
        Files.setPosixFilePermissions(
                file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);

        Run corrupted = vigil("model", "show", "fraud", "1", "--registry", registry().toString());

        assertFailure(corrupted, 1, "model fraud 1: sha256 mismatch: ");
        assertThat(corrupted.out()).isEmpty();
    }

    @Test
    void registersDecisionBandsAndShowsThem() throws IOException {
        Run register =
                vigil(
                        withArgs(
                                registerArgs(model(), "1", "v1"),
                                "--review-from",
                                "0.6",
                                "--decline-from",
                                "0.95"));
        assertThat(register.exitCode()).as(register.err()).isZero();
        assertThat(register.out())
                .contains("decision bands: approve < 0.6 <= review < 0.95 <= decline\n");
        // One bound given: the other keeps its default.
        assertThat(
                        vigil(withArgs(registerArgs(model(), "2", "v1"), "--review-from", "0.3"))
                                .exitCode())
                .isZero();
        Path metadata = dir.resolve("bands.json");
        Files.writeString(
                metadata,
                METADATA.replace(
                        "}}",
                        "}, \"decision_bands\": {\"review_from\": 0.7, \"decline_from\": 0.7}}"));
        String[] fromFile = registerArgs(model(), "3", "v1");
        fromFile[Arrays.asList(fromFile).indexOf(METADATA)] = metadata.toString();
        assertThat(vigil(fromFile).exitCode()).isZero();

        assertThat(show("1"))
                .contains("decision bands     approve < 0.6 <= review < 0.95 <= decline\n");
        assertThat(show("2"))
                .contains("decision bands     approve < 0.3 <= review < 0.9 <= decline\n");
        assertThat(show("3"))
                .contains("decision bands     approve < 0.7 <= review < 0.7 <= decline\n");
        assertThat(Files.readString(registry().resolve("fraud/versions/1/metadata.json")))
                .contains(
                        "\"decision_bands\" : {",
                        "\"review_from\" : 0.6",
                        "\"decline_from\" : 0.95");

        assertFailure(
                vigil(withArgs(registerArgs(model(), "4", "v1"), "--review-from", "0.95")),
                2,
                "vigil model register: --review-from/--decline-from: decision bands need 0 <="
                        + " review_from <= decline_from <= 1, got review_from 0.95, decline_from 0.9");
        assertFailure(
                vigil(withArgs(fromFile, "--decline-from", "0.8")),
                2,
                "give the decision bands either in --metadata (decision_bands) or with"
                        + " --review-from/--decline-from, not both");
        Files.writeString(
                metadata,
                METADATA.replace(
                        "}}",
                        "}, \"decision_bands\": {\"review_from\": 1.2, \"decline_from\": 1.5}}"));
        String[] badFile = registerArgs(model(), "4", "v1");
        badFile[Arrays.asList(badFile).indexOf(METADATA)] = metadata.toString();
        assertFailure(
                vigil(badFile),
                2,
                "--metadata: decision bands need 0 <= review_from <= decline_from <= 1, got"
                        + " review_from 1.2, decline_from 1.5");
        assertThat(registry().resolve("fraud/versions/4")).doesNotExist();
    }

    @Test
    void showPrintsTheLatestEvaluationAndTheHistory() throws IOException {
        register("1");
        FileSystemModelRegistry registry =
                FileSystemModelRegistry.open(registry(), ModelEventPublisher.none());
        Attribution bob = new Attribution("bob", "weekly report");
        registry.recordEvaluation("fraud", "1", evaluation("vigil", null, 0.8968), bob);
        Run one = vigil("model", "show", "fraud", "1", "--registry", registry().toString());
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out())
                .contains("latest offline evaluation (of 1, in fraud/evaluations.jsonl):\n")
                .containsPattern(
                        "\nevaluated +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC by bob\n")
                .contains("test period                 [2018-08-08, 2018-08-15)\n")
                .contains(
                        "labels                      known at 2018-08-22T00:00:00Z, label delay P7D\n")
                .contains("protocol                    vigil\n")
                .contains("rows                        67,080, 568 frauds\n")
                .contains("test_auc_roc                0.8968\n")
                .contains("test_card_precision_at_100  0.1086\n")
                .contains("compared with               1-xgboost\n")
                .doesNotContain("all evaluations");

        registry.recordEvaluation(
                "fraud",
                "1",
                evaluation("handbook", Instant.parse("2018-07-25T00:00:00Z"), 0.8682),
                bob);
        Run two = vigil("model", "show", "fraud", "1", "--registry", registry().toString());
        assertThat(two.out())
                .contains("latest offline evaluation (of 2, in fraud/evaluations.jsonl):\n")
                .contains(
                        "protocol                    handbook (cards with a fraud reported since"
                                + " 2018-07-25 left out)\n")
                .contains("test_auc_roc                0.8682\n")
                .contains("all evaluations, oldest first:\n")
                .containsPattern(
                        "\\[2018-08-08, 2018-08-15\\) +2018-08-22 +vigil +67,080 +568 +0.8968 +0.6382"
                                + " +100 +0.1086 +1-xgboost\n")
                .containsPattern(
                        "\\[2018-08-08, 2018-08-15\\) +2018-08-22 +handbook +67,080 +568 +0.8682"
                                + " +0.6382 +100 +0.1086 +1-xgboost\n");
        Run model = vigil("model", "show", "fraud", "--registry", registry().toString());
        assertThat(model.out()).containsPattern("OTHER +1 +bob +test \\[2018-08-08.* +evaluated\n");
    }

    private static OfflineEvaluation evaluation(String protocol, Instant knownSince, double auc) {
        return new OfflineEvaluation(
                Instant.parse("2018-08-08T00:00:00Z"),
                Instant.parse("2018-08-15T00:00:00Z"),
                Instant.parse("2018-08-22T00:00:00Z"),
                Duration.ofDays(7),
                protocol,
                knownSince,
                100,
                67_080,
                568,
                Map.of(
                        "test_auc_roc",
                        auc,
                        "test_average_precision",
                        0.6382,
                        "test_card_precision_at_100",
                        0.1086),
                List.of("1-xgboost"),
                "vigil.features",
                "vigil.labels");
    }

    private String show(String version) {
        Run show = vigil("model", "show", "fraud", version, "--registry", registry().toString());
        assertThat(show.exitCode()).as(show.err()).isZero();
        return show.out();
    }

    @Test
    void aliasPromoteAndRollbackMoveTheRolesAndAuditEveryChange() throws IOException {
        register("1");
        register("2");
        register("3");

        assertThat(alias("1", "--as", "champion").out())
                .startsWith("model fraud: 1 is now the champion\n")
                .contains("champion:           1\n", "challenger:         none\n");
        Run canary = alias("2", "--as", "challenger", "--mode", "canary", "--share", "0.1");
        assertThat(canary.exitCode()).as(canary.err()).isZero();
        assertThat(canary.out())
                .startsWith("model fraud: 2 is now the challenger (canary 10%)\n")
                .contains("challenger:         2 (canary 10%)\n");
        Run promote = vigil("model", "promote", "fraud", "--registry", registry().toString());
        assertThat(promote.exitCode()).as(promote.err()).isZero();
        assertThat(promote.out())
                .startsWith("model fraud: promoted 2 to champion (was 1)\n")
                .contains(
                        "challenger:         none\n",
                        "previous champions: 1 (rollback restores the first)\n");
        Run rollback =
                vigil(
                        "model",
                        "rollback",
                        "fraud",
                        "--registry",
                        registry().toString(),
                        "--actor",
                        "alice",
                        "--reason",
                        "precision dropped");
        assertThat(rollback.exitCode()).as(rollback.err()).isZero();
        assertThat(rollback.out()).startsWith("model fraud: rolled back to 1 (was 2)\n");
        Run republish = vigil("model", "republish", "fraud", "--registry", registry().toString());
        assertThat(republish.exitCode()).as(republish.err()).isZero();
        assertThat(republish.out())
                .startsWith("model fraud: announced champion 1 again\n")
                .contains("champion:           1\n", "challenger:         none\n");

        Run show = vigil("model", "show", "fraud", "--registry", registry().toString());
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out())
                .contains("last changes (of 8, in fraud/audit.jsonl), oldest first:")
                .containsPattern(
                        "ROLLED_BACK +1 +alice +champion=2 -> champion=1 +precision dropped")
                .containsPattern(
                        "PROMOTED +2 +\\S+ +champion=1, challenger=2 CANARY 0.1 -> champion=2");
        assertThat(auditLines()).isEqualTo(8);
    }

    @Test
    void refusedChangesSayWhyInOneLineAndChangeNothing() throws IOException {
        register("1");
        long audit = auditLines();

        assertFailure(
                alias("9", "--as", "champion"),
                1,
                "vigil: model fraud has no version 9 (registered: [1])");
        assertFailure(
                alias("1", "--as", "challenger"),
                1,
                "there is no champion to challenge; set a champion first");
        assertFailure(
                vigil("model", "promote", "fraud", "--registry", registry().toString()),
                1,
                "vigil: model fraud: there is no challenger to promote");
        assertFailure(
                vigil("model", "rollback", "fraud", "--registry", registry().toString()),
                1,
                "there is no previous champion to roll back to");
        assertFailure(
                vigil("model", "republish", "fraud", "--registry", registry().toString()),
                1,
                "vigil: model fraud has no champion: nothing to republish");
        assertFailure(register("1"), 1, "model fraud 1 is already registered (sha256 ");
        assertFailure(
                alias("1", "--as", "challenger", "--mode", "canary"),
                2,
                "a canary challenger needs --share in (0, 1], e.g. --share 0.1, got null");
        assertFailure(
                alias("1", "--as", "champion", "--share", "0.5"),
                2,
                "--mode and --share are for a challenger");
        assertFailure(
                alias("1", "--as", "king"), 2, "'king' is not an alias (champion or challenger)");
        // Kafka named but unreachable: refused before anything changes, not stored unpublished.
        assertFailure(
                alias(
                        "1",
                        "--as",
                        "champion",
                        "--bootstrap",
                        "127.0.0.1:1",
                        "--kafka-timeout",
                        "1s"),
                1,
                "vigil: no answer from Kafka at 127.0.0.1:1 within 1 s (list topics)");

        assertThat(auditLines()).isEqualTo(audit);
        assertThat(registry().resolve("fraud/aliases.json")).doesNotExist();
    }

    @Test
    void registrationRefusesBadInputInOneLineAndStoresNothing() throws IOException {
        Path model = model();
        Path corrupt = dir.resolve("corrupt.onnx");
        Files.write(corrupt, Arrays.copyOf(onnx, onnx.length / 2));

        assertFailure(
                vigil(registerArgs(model, "1", "request:tx_amount,shop_risk:score_1d")),
                2,
                "--features: cannot build an input signature: shop_risk:score_1d: unknown feature"
                        + " view shop_risk");
        assertFailure(
                vigil(registerArgs(model, "1", "customer_spending:nb_tx_2d")),
                2,
                "customer_spending:nb_tx_2d: feature view customer_spending v1 has no feature"
                        + " nb_tx_2d");
        assertFailure(
                vigil(registerArgs(corrupt, "1", "v1")),
                1,
                corrupt + ": ONNX Runtime cannot load it");
        assertFailure(
                vigil(withArgs(registerArgs(model, "1", "v1"), "--sha256", "ab".repeat(32))),
                1,
                "the draft expects sha256 " + "ab".repeat(32) + " but the ONNX file has ");
        // 14 features for a model that reads 15.
        assertFailure(
                vigil(
                        registerArgs(
                                model,
                                "1",
                                String.join(
                                        ",",
                                        FeatureLogFixture.SIGNATURE
                                                .featureNames()
                                                .subList(0, 14)))),
                1,
                "model fraud 1");
        assertFailure(
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
                        registry().toString()),
                2,
                "--metadata must give training_window");
        assertFailure(
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
                        registry().toString(),
                        "--metadata",
                        "{\"label_cutoff\": \"2018-04-22T00:00:00Z\", \"training_window\": {\"from\":"
                                + " \"2018-04-01T00:00:00Z\", \"to\": \"2018-04-15T00:00:00Z\"},"
                                + " \"trained_by\": \"bob\"}"),
                2,
                "--metadata: unknown fields [trained_by]");
        assertFailure(
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
                        registry().toString(),
                        "--metadata",
                        "{\"label_cutoff\": \"2018-04-10T00:00:00Z\", \"training_window\": {\"from\":"
                                + " \"2018-04-01T00:00:00Z\", \"to\": \"2018-04-15T00:00:00Z\"}}"),
                2,
                "is before the training window end");
        assertFailure(
                vigil(registerArgs(model, "../1", "v1")),
                2,
                "version of model fraud must be 1-64 letters");

        assertThat(registry().resolve("fraud/versions"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
        assertThat(registry().resolve("fraud/audit.jsonl")).doesNotExist();
    }

    @Test
    void metadataMayComeFromAFile() throws IOException {
        Path metadata = dir.resolve("meta.json");
        Files.writeString(metadata, METADATA.replace("}}", "}, \"code_version\": \"abc123\"}"));

        Run run =
                vigil(
                        "model",
                        "register",
                        model().toString(),
                        "--name",
                        "fraud",
                        "--version",
                        "7",
                        "--features",
                        "v1",
                        "--registry",
                        registry().toString(),
                        "--metadata",
                        metadata.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(vigil("model", "show", "fraud", "7", "--registry", registry().toString()).out())
                .contains("code version       abc123");
    }

    @Test
    void readingCommandsNeedNoRegistryAndCreateNone() {
        Run list = vigil("model", "list", "--registry", registry().toString());
        Run show = vigil("model", "show", "fraud", "--registry", registry().toString());
        Run promote = vigil("model", "promote", "fraud", "--registry", registry().toString());

        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).startsWith("no models: there is no registry at ");
        assertFailure(show, 1, "vigil: no model registry at " + registry().toAbsolutePath());
        assertFailure(promote, 1, "vigil: no model registry at ");
        assertThat(registry()).doesNotExist();
    }

    @Test
    void trainAndEvaluateCheckTheirPeriodsBeforeReadingKafka() {
        String[] kafka = {"--bootstrap", "127.0.0.1:1", "--registry", registry().toString()};
        assertFailure(
                vigil(
                        withArgs(
                                new String[] {
                                    "model",
                                    "train",
                                    "--name",
                                    "fraud",
                                    "--train-from",
                                    "2018-08-01",
                                    "--train-to",
                                    "2018-07-25"
                                },
                                kafka)),
                2,
                "--train-from 2018-08-01T00:00:00Z must be before --train-to 2018-07-25T00:00:00Z");
        assertFailure(
                vigil(
                        withArgs(
                                new String[] {
                                    "model",
                                    "train",
                                    "--name",
                                    "fraud",
                                    "--train-from",
                                    "2018-07-25",
                                    "--train-to",
                                    "2018-07-27",
                                    "--validation",
                                    "3d"
                                },
                                kafka)),
                2,
                "--validation PT72H leaves nothing to train on in [2018-07-25, 2018-07-27)");
        for (String[] bad :
                List.of(
                        new String[] {"--validation", "-P1D", "--validation must be positive"},
                        new String[] {"--k", "0", "--k must be at least 1, got 0"})) {
            assertFailure(
                    vigil(
                            withArgs(
                                    new String[] {
                                        "model",
                                        "train",
                                        "--name",
                                        "fraud",
                                        "--train-from",
                                        "2018-07-25",
                                        "--train-to",
                                        "2018-08-01",
                                        bad[0],
                                        bad[1]
                                    },
                                    kafka)),
                    2,
                    bad[2]);
        }
        assertFailure(
                vigil(
                        withArgs(
                                new String[] {
                                    "model",
                                    "train",
                                    "--name",
                                    "fraud",
                                    "--train-from",
                                    "2018-07-25",
                                    "--train-to",
                                    "2018-08-01",
                                    "--review-from",
                                    "0.8",
                                    "--decline-from",
                                    "0.6"
                                },
                                kafka)),
                2,
                "--review-from/--decline-from: decision bands need 0 <= review_from <="
                        + " decline_from <= 1, got review_from 0.8, decline_from 0.6");
        assertFailure(
                vigil(
                        withArgs(
                                new String[] {
                                    "model",
                                    "train",
                                    "--name",
                                    "fraud",
                                    "--train-from",
                                    "2018-07-25",
                                    "--train-to",
                                    "2018-08-01",
                                    "--cutoff",
                                    "2018-07-31"
                                },
                                kafka)),
                2,
                "validation ends at 2018-08-01T00:00:00Z, after the label cut-off");
        assertFailure(
                vigil(
                        withArgs(
                                new String[] {
                                    "model",
                                    "train",
                                    "--name",
                                    "fraud",
                                    "--train-from",
                                    "25/07/2018",
                                    "--train-to",
                                    "2018-08-01"
                                },
                                kafka)),
                2,
                "'25/07/2018' is neither a date (2018-07-25, meaning 00:00 UTC) nor an instant");
        assertFailure(
                vigil(
                        withArgs(
                                new String[] {
                                    "model",
                                    "evaluate",
                                    "fraud",
                                    "--versions",
                                    "1",
                                    "--from",
                                    "2018-08-08",
                                    "--to",
                                    "2018-08-15",
                                    "--cutoff",
                                    "2018-08-10"
                                },
                                kafka)),
                2,
                "--cutoff 2018-08-10T00:00:00Z is before the end of the test period");
        assertFailure(
                vigil(
                        withArgs(
                                new String[] {
                                    "model",
                                    "evaluate",
                                    "fraud",
                                    "--versions",
                                    "1,1",
                                    "--from",
                                    "2018-08-08",
                                    "--to",
                                    "2018-08-15"
                                },
                                kafka)),
                2,
                "--versions lists a version twice: [1, 1]");
        assertFailure(
                vigil(
                        withArgs(
                                new String[] {
                                    "model",
                                    "evaluate",
                                    "fraud",
                                    "--from",
                                    "2018-08-08",
                                    "--to",
                                    "2018-08-15",
                                    "--protocol",
                                    "kaggle"
                                },
                                kafka)),
                2,
                "'kaggle' is not an evaluation protocol (vigil or handbook)");
    }

    private Run register(String version) throws IOException {
        return vigil(registerArgs(model(), version, "v1"));
    }

    private Run alias(String version, String... options) {
        return vigil(
                withArgs(
                        new String[] {
                            "model", "alias", "fraud", version, "--registry", registry().toString()
                        },
                        options));
    }

    private String[] registerArgs(Path model, String version, String features) {
        return new String[] {
            "model",
            "register",
            model.toString(),
            "--name",
            "fraud",
            "--version",
            version,
            "--features",
            features,
            "--metadata",
            METADATA,
            "--registry",
            registry().toString()
        };
    }

    private Path model() throws IOException {
        Path file = dir.resolve("model.onnx");
        if (!Files.exists(file)) {
            Files.write(file, onnx);
        }
        return file;
    }

    private Path registry() {
        return dir.resolve("registry");
    }

    private long auditLines() throws IOException {
        Path audit = registry().resolve("fraud/audit.jsonl");
        if (!Files.exists(audit)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(audit)) {
            return lines.count();
        }
    }

    private static String[] withArgs(String[] args, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    private static void assertFailure(Run run, int exitCode, String message) {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(exitCode);
        assertThat(run.errLines()).as(run.err()).hasSize(1);
        assertThat(run.err()).contains(message);
    }
}
