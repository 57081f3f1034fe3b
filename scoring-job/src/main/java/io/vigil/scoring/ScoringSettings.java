package io.vigil.scoring;

import java.io.Serializable;

/**
 * What the scoring operator needs from {@link ScoringJobConfig}, small and serializable.
 *
 * @param model the registry model whose champion and challenger the job runs
 * @param fallbackReviewAmountMinorUnits the fallback rule sends amounts from this one to review
 * @param labelRetentionMillis how long (wall clock) a received fraud label is kept for terminals
 *     whose Redis history does not include it yet
 * @param metricsHost where the Prometheus endpoint listens
 * @param metricsPort its port (0: any free port)
 */
public record ScoringSettings(
        String model,
        long fallbackReviewAmountMinorUnits,
        long labelRetentionMillis,
        String metricsHost,
        int metricsPort)
        implements Serializable {}
