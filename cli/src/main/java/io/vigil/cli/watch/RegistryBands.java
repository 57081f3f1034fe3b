package io.vigil.cli.watch;

import io.vigil.models.DecisionBands;
import io.vigil.models.ModelRegistryException;
import io.vigil.models.registry.ModelRegistry;
import io.vigil.schemas.ModelScore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Bands from the registry's metadata of each version, read once per version. A version the registry
 * does not have (yet) is looked up again after a few seconds rather than on every decision. Not
 * thread-safe: one watch loop uses it.
 */
public final class RegistryBands implements BandResolver {

    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ModelRegistry registry;
    private final Map<String, DecisionBands> known = new HashMap<>();
    private final Map<String, Long> missingSince = new HashMap<>();

    public RegistryBands(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<String> band(ModelScore score) {
        if (score == null || score.getScore() == null) {
            return Optional.empty();
        }
        double p = score.getScore();
        if (!(p >= 0 && p <= 1)) {
            return Optional.empty();
        }
        String key = score.getModel() + "\u0000" + score.getVersion();
        DecisionBands bands = known.get(key);
        if (bands == null) {
            Long since = missingSince.get(key);
            if (since != null && System.nanoTime() - since < RETRY_NANOS) {
                return Optional.empty();
            }
            try {
                bands = registry.metadata(score.getModel(), score.getVersion()).decisionBands();
            } catch (ModelRegistryException | IllegalArgumentException e) {
                missingSince.put(key, System.nanoTime());
                return Optional.empty();
            }
            known.put(key, bands);
            missingSince.remove(key);
        }
        return Optional.of(bands.band(p));
    }
}
