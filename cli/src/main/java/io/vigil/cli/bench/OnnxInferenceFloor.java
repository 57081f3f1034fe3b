package io.vigil.cli.bench;

import io.vigil.models.DistributionProfile;
import io.vigil.models.ModelMetadata;
import io.vigil.models.ModelRegistryException;
import io.vigil.models.ReferenceProfile;
import io.vigil.models.inference.OnnxScorer;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The inference floor: single-row ONNX Runtime inferences through {@link OnnxScorer}, as the
 * scoring job makes them, of a model's champion and, when it has one, its challenger. Rows are the
 * reference profile's quantiles (realistic inputs; a tree takes different paths for each), or zeros
 * for a model without a profile.
 */
public final class OnnxInferenceFloor implements AutoCloseable {

    /** One loaded version and the role it holds. */
    public record Role(String role, String model, String version) {}

    /** Inference latency of one role. */
    public record Result(Role role, Percentiles latency) {}

    private final List<Role> roles = new ArrayList<>();
    private final List<OnnxScorer> scorers = new ArrayList<>();

    /**
     * Loads the champion and challenger of {@code model}, or of the only model that has a champion
     * when {@code model} is null; the registry checks each file's sha256 and ONNX Runtime its
     * signature.
     *
     * @throws ModelRegistryException if there is no such champion
     */
    public OnnxInferenceFloor(ModelRegistry registry, String model) {
        String name = model != null ? model : onlyChampionModel(registry);
        ModelAliases aliases = registry.aliases(name);
        if (aliases.champion() == null) {
            throw new ModelRegistryException(
                    "model "
                            + name
                            + " has no champion (vigil model alias "
                            + name
                            + " V --as"
                            + " champion)");
        }
        try {
            add(registry, new Role(ModelAliases.CHAMPION, name, aliases.champion()));
            if (aliases.challenger() != null) {
                add(
                        registry,
                        new Role(ModelAliases.CHALLENGER, name, aliases.challenger().version()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public List<Role> roles() {
        return List.copyOf(roles);
    }

    /** Times {@code iterations} inferences of each role after {@code warmup}. */
    public List<Result> measure(int warmup, int iterations) {
        List<Result> results = new ArrayList<>();
        for (int r = 0; r < roles.size(); r++) {
            OnnxScorer scorer = scorers.get(r);
            float[][] rows = rows(scorer.metadata());
            Histogram nanos = new Histogram(3);
            for (int i = 0; i < warmup + iterations; i++) {
                float[] row = rows[i % rows.length];
                long start = System.nanoTime();
                scorer.score(row);
                long elapsed = System.nanoTime() - start;
                if (i >= warmup) {
                    nanos.recordValue(elapsed);
                }
            }
            results.add(new Result(roles.get(r), Percentiles.ofNanos(nanos)));
        }
        return results;
    }

    @Override
    public void close() {
        scorers.forEach(OnnxScorer::close);
        scorers.clear();
    }

    private void add(ModelRegistry registry, Role role) {
        scorers.add(OnnxScorer.load(registry.load(role.model(), role.version())));
        roles.add(role);
    }

    private static String onlyChampionModel(ModelRegistry registry) {
        List<String> withChampion =
                registry.models().stream()
                        .filter(m -> registry.aliases(m).champion() != null)
                        .toList();
        if (withChampion.size() == 1) {
            return withChampion.get(0);
        }
        throw new ModelRegistryException(
                withChampion.isEmpty()
                        ? "no model in the registry has a champion (register one and give it the"
                                + " champion alias, or run with --no-floors)"
                        : "several models have a champion "
                                + withChampion
                                + ": choose one with --model");
    }

    // One row per quantile level of the reference profile, or a single row of zeros.
    private static float[][] rows(ModelMetadata metadata) {
        ReferenceProfile profile = metadata.referenceProfile();
        if (profile == null) {
            return new float[][] {new float[metadata.input().width()]};
        }
        List<String> names = metadata.input().featureNames();
        float[][] rows = new float[DistributionProfile.LEVELS.length][names.size()];
        for (int j = 0; j < names.size(); j++) {
            DistributionProfile p = profile.features().get(names.get(j));
            for (int q = 0; p != null && q < rows.length && q < p.quantiles().size(); q++) {
                rows[q][j] = (float) p.quantiles().get(q).value();
            }
        }
        return rows;
    }
}
