package io.vigil.drift;

import java.io.Serializable;
import java.util.List;

/**
 * What {@link io.vigil.drift.functions.DriftWindowFunction} needs of {@link DriftJobConfig}.
 *
 * @param registry the model registry directory the reference profiles are read from
 * @param windowMillis the tumbling window's length
 * @param minSamples fewest decisions a window, and fewest values a subject, needs to be evaluated
 * @param ignoredFeatures features that are not monitored
 */
public record DriftSettings(
        String registry,
        long windowMillis,
        int minSamples,
        double psiThreshold,
        double ksThreshold,
        List<String> ignoredFeatures,
        String metricsHost,
        int metricsPort)
        implements Serializable {

    public DriftSettings {
        ignoredFeatures = List.copyOf(ignoredFeatures);
    }
}
