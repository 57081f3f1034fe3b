package io.vigil.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.models.DecisionBands;
import io.vigil.models.FeatureCatalog;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelEventPublisher;
import io.vigil.schemas.FeatureVector;
import io.vigil.schemas.Label;
import io.vigil.schemas.LabelSource;
import io.vigil.trainer.dataset.TrainingSet;
import io.vigil.trainer.evaluation.Evaluation;
import io.vigil.trainer.evaluation.ModelEvaluation;
import io.vigil.trainer.linear.LogisticRegressionTrainer;
import io.vigil.trainer.xgboost.XGBoostTrainer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From a feature log and labels to a registered model version. */
class ModelTrainingTest {

    private static final Duration DELAY = Duration.ofDays(7);

    @TempDir Path registryRoot;

    @Test
    void validationMetricKeysNameThePeriodTheMetricAndK() {
        assertThat(ModelTraining.validationMetric(SelectionMetric.AVERAGE_PRECISION, 100))
                .isEqualTo("validation_average_precision");
        assertThat(ModelTraining.validationMetric(SelectionMetric.AUC_ROC, 100))
                .isEqualTo("validation_auc_roc");
        assertThat(ModelTraining.validationMetric(SelectionMetric.CARD_PRECISION_AT_K, 50))
                .isEqualTo("validation_card_precision_at_50");
    }

    @Test
    void trainsSelectsExportsAndRegisters() {
        // 20,000 transactions three minutes apart: 2018-04-01 to about 2018-05-12.
        TrainingSet rows = SyntheticData.rows(20_000, 21, 180);
        List<FeatureVector> log = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Double> features = new HashMap<>();
            for (int j = 0; j < rows.width(); j++) {
                features.put(rows.featureNames().get(j), (double) rows.features()[i][j]);
            }
            log.add(
                    FeatureVector.newBuilder()
                            .setTransactionId(rows.transactionId(i))
                            .setEventTime(rows.eventTime(i))
                            .setCustomerId(rows.customerId(i))
                            .setTerminalId("term")
                            .setFeatures(features)
                            .setFeatureViewVersions(
                                    Map.of("customer_spending", 1, "terminal_risk", 1))
                            .build());
            if (rows.labels()[i] == 1) {
                labels.add(
                        Label.newBuilder()
                                .setTransactionId(rows.transactionId(i))
                                .setCustomerId(rows.customerId(i))
                                .setTerminalId("term")
                                .setTxEventTime(rows.eventTime(i))
                                .setLabelTime(rows.eventTime(i).plus(DELAY))
                                .setIsFraud(true)
                                .setSource(LabelSource.SIMULATOR)
                                .build());
            }
        }
        TrainingConfig config =
                new TrainingConfig(
                        "fraud",
                        "2",
                        "1",
                        "0123abc",
                        Instant.parse("2018-04-01T00:00:00Z"),
                        Instant.parse("2018-04-15T00:00:00Z"),
                        Instant.parse("2018-04-22T00:00:00Z"),
                        Instant.parse("2018-04-29T00:00:00Z"),
                        DELAY,
                        10,
                        SelectionMetric.AVERAGE_PRECISION,
                        new DecisionBands(0.4, 0.8));
        List<Trainer> candidates =
                List.of(
                        new LogisticRegressionTrainer(1e-3, true),
                        new LogisticRegressionTrainer(1, true),
                        new XGBoostTrainer(30, 3, 0.3, 1));

        TrainingResult result =
                ModelTraining.run(config, SyntheticData.SIGNATURE, log, labels, candidates);

        ModelMetadata draft = result.draft();
        assertThat(result.candidates()).hasSize(3);
        double bestAp =
                result.candidates().stream()
                        .mapToDouble(c -> c.validation().averagePrecision())
                        .max()
                        .orElseThrow();
        assertThat(draft.metrics().get("validation_average_precision")).isEqualTo(bestAp);
        assertThat(draft.metrics().get("validation_auc_roc")).isGreaterThan(0.7);
        assertThat(draft.metrics()).containsKey("validation_card_precision_at_10");
        for (SelectionMetric metric : SelectionMetric.values()) {
            assertThat(draft.metrics()).containsKey(ModelTraining.validationMetric(metric, 10));
        }
        assertThat(draft.metrics().get("onnx_max_abs_difference")).isLessThan(1e-5);
        assertThat(draft.referenceProfile().features()).hasSize(15);
        assertThat(draft.referenceProfile().score().count())
                .isEqualTo(result.validation().frauds() + result.validation().legitimate());
        assertThat(draft.labelCutoff()).isEqualTo(config.cutoff());
        assertThat(draft.parentVersion()).isEqualTo("1");
        assertThat(draft.decisionBands()).isEqualTo(config.decisionBands());
        // Every training-period fraud was labelled by the cut-off; validation rows are all older
        // than the label delay at the cut-off, so none was left out.
        assertThat(result.train().frauds()).isPositive();
        assertThat(result.train().tooRecent()).isZero();
        assertThat(result.validation().tooRecent()).isZero();

        FileSystemModelRegistry registry =
                new FileSystemModelRegistry(
                        registryRoot,
                        FeatureCatalog.v1(),
                        ModelEventPublisher.none(),
                        Clock.systemUTC());
        ModelMetadata stored =
                registry.register(draft, result.onnx(), new Attribution("trainer", "test run"));
        assertThat(registry.load("fraud", "2").metadata()).isEqualTo(stored);

        // The week after validation, with every label in, scored through ONNX Runtime.
        Evaluation test =
                ModelEvaluation.evaluate(
                        registry.load("fraud", "2"),
                        log,
                        labels,
                        Instant.parse("2018-04-29T00:00:00Z"),
                        Instant.parse("2018-05-06T00:00:00Z"),
                        Instant.parse("2018-06-01T00:00:00Z"),
                        DELAY,
                        10);
        assertThat(test.rows()).isEqualTo(3_360);
        assertThat(test.aucRoc()).isGreaterThan(0.7);
        assertThat(test.cardPrecision().days()).hasSize(7);
    }
}
