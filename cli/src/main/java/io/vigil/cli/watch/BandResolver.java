package io.vigil.cli.watch;

import io.vigil.schemas.ModelScore;
import java.util.Optional;

/**
 * The band a model version puts a score in. A {@code Decision} carries the band of the deciding
 * model only, so comparing champion and challenger needs each version's own cut-offs.
 */
@FunctionalInterface
public interface BandResolver {

    /** The band of {@code score}, empty when its version's bands are unknown or it has no score. */
    Optional<String> band(ModelScore score);

    /** Knows no bands: agreement is not computed. */
    BandResolver NONE = score -> Optional.empty();
}
