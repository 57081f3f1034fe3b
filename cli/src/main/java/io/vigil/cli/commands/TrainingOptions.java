package io.vigil.cli.commands;

import io.vigil.cli.Converters;
import io.vigil.models.DecisionBands;
import io.vigil.trainer.SelectionMetric;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How a training run validates and records its models, the same for {@code vigil model train} and
 * {@code vigil retrain follow}.
 */
final class TrainingOptions {

    @Option(
            names = "--validation",
            paramLabel = "DURATION",
            defaultValue = "P2D",
            converter = Converters.DurationConverter.class,
            description = "The window's last part used for validation (default: ${DEFAULT-VALUE}).")
    Duration validation;

    @Option(
            names = "--k",
            paramLabel = "K",
            defaultValue = "100",
            description =
                    "Cards investigators check a day, for Card Precision@k (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--select-by",
            paramLabel = "METRIC",
            defaultValue = "average_precision",
            description =
                    "Validation metric that picks hyperparameters (and, when following retrain"
                            + " requests, the challenger): average_precision (default), auc_roc or"
                            + " card_precision_at_k.")
    SelectionMetric selectBy;

    @Option(
            names = "--code-version",
            paramLabel = "TEXT",
            description =
                    "Recorded code version (default: git rev-parse HEAD of this CLI's checkout).")
    String codeVersion;

    TrainingRun.Settings settings(Duration labelDelay, DecisionBands bands) {
        return new TrainingRun.Settings(
                validation,
                labelDelay,
                k,
                selectBy,
                bands,
                codeVersion != null ? codeVersion : ModelCodeVersion.detect());
    }
}
