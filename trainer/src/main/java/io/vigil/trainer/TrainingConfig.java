package io.vigil.trainer;

import io.vigil.models.DecisionBands;
import io.vigil.models.ModelMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One training run, validated here.
 *
 * <ul>
 *   <li>{@code model}, {@code version}: the registry identity of the result; {@code parentVersion}
 *       the version it replaces (may be null).
 *   <li>{@code codeVersion}: the git commit of this code, recorded in the metadata.
 *   <li>{@code trainFrom}, {@code trainTo}: the training period {@code [trainFrom, trainTo)}.
 *   <li>{@code validationTo}: the validation period is {@code [trainTo, validationTo)}; it follows
 *       the training period, as production follows training, and chooses the hyperparameters.
 *   <li>{@code cutoff}: labels known at this instant are used, later ones are not; {@code
 *       validationTo} must not be after it.
 *   <li>{@code labelDelay}: an unlabelled transaction at least this old at the cut-off counts as
 *       legitimate (the handbook and the simulator use 7 days).
 *   <li>{@code k}: investigators' daily budget for Card Precision@k (the handbook uses 100).
 *   <li>{@code selectionMetric}: what the validation period is ranked by.
 *   <li>{@code decisionBands}: recorded in the metadata, how the scoring job turns this version's
 *       scores into decisions; null means {@link DecisionBands#DEFAULT}.
 * </ul>
 */
public record TrainingConfig(
        String model,
        String version,
        String parentVersion,
        String codeVersion,
        Instant trainFrom,
        Instant trainTo,
        Instant validationTo,
        Instant cutoff,
        Duration labelDelay,
        int k,
        SelectionMetric selectionMetric,
        DecisionBands decisionBands) {

    public TrainingConfig {
        ModelMetadata.checkId("model name", model);
        ModelMetadata.checkId("version of model " + model, version);
        if (parentVersion != null) {
            ModelMetadata.checkId("parent version of model " + model, parentVersion);
        }
        if (codeVersion == null || codeVersion.isBlank()) {
            throw new IllegalArgumentException("training needs the code version (git commit)");
        }
        Objects.requireNonNull(trainFrom, "trainFrom");
        Objects.requireNonNull(trainTo, "trainTo");
        Objects.requireNonNull(validationTo, "validationTo");
        Objects.requireNonNull(cutoff, "cutoff");
        Objects.requireNonNull(labelDelay, "labelDelay");
        Objects.requireNonNull(selectionMetric, "selectionMetric");
        decisionBands = Objects.requireNonNullElse(decisionBands, DecisionBands.DEFAULT);
        if (!trainFrom.isBefore(trainTo) || !trainTo.isBefore(validationTo)) {
            throw new IllegalArgumentException(
                    "periods must follow each other: train ["
                            + trainFrom
                            + ", "
                            + trainTo
                            + "), validation ["
                            + trainTo
                            + ", "
                            + validationTo
                            + ")");
        }
        if (validationTo.isAfter(cutoff)) {
            throw new IllegalArgumentException(
                    "validation ends at " + validationTo + ", after the label cut-off " + cutoff);
        }
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException("label delay must not be negative: " + labelDelay);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
    }
}
