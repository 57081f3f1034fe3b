package io.vigil.drift.functions;

import io.vigil.models.ModelRegistryException;
import io.vigil.models.ReferenceProfile;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelEventPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.java.tuple.Tuple2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference profiles of model versions, read from the registry once per version: versions are
 * immutable, so a profile found is kept for the life of the task. A version that is missing or has
 * no profile is remembered as such until {@link #forgetMissing}, so the registry is not read for
 * every decision of it, and a version registered later is still picked up.
 */
final class ReferenceProfiles {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceProfiles.class);

    private final FileSystemModelRegistry registry;
    private final Map<Tuple2<String, String>, Optional<ReferenceProfile>> byVersion =
            new HashMap<>();

    /**
     * @throws IllegalStateException if {@code root} is no directory: a mistyped path would
     *     otherwise make every version look unprofiled
     */
    ReferenceProfiles(String root) {
        Path dir = Path.of(root);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    "the model registry " + dir.toAbsolutePath() + " is not a directory here");
        }
        registry = FileSystemModelRegistry.open(dir, ModelEventPublisher.none());
    }

    /** The profile of {@code key} (model, version), or null if there is none. */
    ReferenceProfile get(Tuple2<String, String> key) {
        return byVersion.computeIfAbsent(key, this::load).orElse(null);
    }

    void forgetMissing(Tuple2<String, String> key) {
        byVersion.remove(key, Optional.empty());
    }

    private Optional<ReferenceProfile> load(Tuple2<String, String> key) {
        try {
            ReferenceProfile profile = registry.metadata(key.f0, key.f1).referenceProfile();
            if (profile == null) {
                LOG.warn("model {} version {} has no reference profile", key.f0, key.f1);
            }
            return Optional.ofNullable(profile);
        } catch (ModelRegistryException | IllegalArgumentException e) {
            LOG.warn(
                    "no reference profile of model {} version {}: {}",
                    key.f0,
                    key.f1,
                    e.toString());
            return Optional.empty();
        }
    }
}
