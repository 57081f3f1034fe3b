package io.vigil.drift;

import java.io.Serializable;
import java.util.List;

/**
 * What {@link io.vigil.drift.functions.DriftWindowFunction} needs of {@link DriftJobConfig}.
 *
 * @param registry the model registry directory the reference profiles are read from
 * @param windowMillis the tumbling window's length
 * @param minSamples fewest decisions a window, and fewest values a subject, needs to be evaluated
 * @param realertMillis how long a subject's alert (per statistic) suppresses the next ones of the
 *     same subject and statistic, in event time; 0 alerts every window
 * @param ignoredFeatures features that are not monitored
 */
public record DriftSettings(
        String registry,
        long windowMillis,
        int minSamples,
        double psiThreshold,
        double ksThreshold,
        long realertMillis,
        List<String> ignoredFeatures,
        String metricsHost,
        int metricsPort)
        implements Serializable {

    public DriftSettings {
        ignoredFeatures = List.copyOf(ignoredFeatures);
    }
}
