package io.vigil.models.registry;

import io.vigil.models.OfflineEvaluation;
import java.time.Instant;
import java.util.Objects;

/**
 * One offline evaluation of a version as stored in its model's evaluation history (one JSON line in
 * {@code <model>/evaluations.jsonl}), with who ran it, when and why.
 *
 * @param eventId the audit entry and model event that announced it; null for lines written by
 *     {@code vigil model evaluate} before the registry recorded evaluations
 * @param reason the attribution's reason (the audit entry's reason is {@link
 *     ModelRegistry#EVALUATED}); null for those older lines
 */
public record EvaluationEntry(
        String eventId,
        Instant evaluatedAt,
        String evaluatedBy,
        String reason,
        String model,
        String version,
        OfflineEvaluation evaluation) {

    public EvaluationEntry {
        Objects.requireNonNull(evaluatedAt, "evaluated at");
        Objects.requireNonNull(evaluatedBy, "evaluated by");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(evaluation, "evaluation");
    }
}
