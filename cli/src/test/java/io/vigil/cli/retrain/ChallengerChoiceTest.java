package io.vigil.cli.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.models.FeatureCatalog;
import io.vigil.models.ModelMetadata;
import io.vigil.models.TrainingWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengerChoiceTest {

    @Test
    void theHigherValidationMetricWinsAndATieKeepsTheFirst() {
        ModelMetadata logreg = version("3-logreg", 0.61, 0.90);
        ModelMetadata xgboost = version("3-xgboost", 0.72, 0.88);

        ChallengerChoice byAp =
                ChallengerChoice.better(List.of(logreg, xgboost), "validation_average_precision");
        ChallengerChoice byAuc =
                ChallengerChoice.better(List.of(logreg, xgboost), "validation_auc_roc");
        ChallengerChoice tie =
                ChallengerChoice.better(
                        List.of(version("4-logreg", 0.5, 0.8), version("4-xgboost", 0.5, 0.8)),
                        "validation_average_precision");

        assertThat(byAp.version().version()).isEqualTo("3-xgboost");
        assertThat(byAp.value()).isEqualTo(0.72);
        assertThat(byAuc.version().version()).isEqualTo("3-logreg");
        assertThat(tie.version().version()).isEqualTo("4-logreg");
    }

    @Test
    void aVersionWithoutTheMetricIsAnError() {
        assertThatThrownBy(
                        () ->
                                ChallengerChoice.better(
                                        List.of(version("3-logreg", 0.6, 0.9)),
                                        "validation_card_precision_at_100"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "model fraud 3-logreg has no validation_card_precision_at_100 to choose a"
                                + " challenger by");
    }

    private static ModelMetadata version(String version, double ap, double auc) {
        return ModelMetadata.builder("fraud", version)
                .input(FeatureCatalog.v1().defaultSignature("features"))
                .outputName("probabilities")
                .algorithm(version.endsWith("xgboost") ? "xgboost" : "logistic_regression")
                .trainingWindow(
                        new TrainingWindow(
                                Instant.parse("2018-04-08T00:00:00Z"),
                                Instant.parse("2018-04-13T00:00:00Z")))
                .labelCutoff(Instant.parse("2018-04-22T00:00:00Z"))
                .metrics(Map.of("validation_average_precision", ap, "validation_auc_roc", auc))
                .codeVersion("test")
                .build();
    }
}
