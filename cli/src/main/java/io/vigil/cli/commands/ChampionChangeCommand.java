package io.vigil.cli.commands;

import io.vigil.cli.KafkaOptions;
import io.vigil.cli.Usage;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command about a model's champion (promote, rollback, republish), printing the aliases after it.
 */
abstract class ChampionChangeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Mixin ModelRegistryOptions where;

    @Mixin ModelChangeOptions change;

    @Mixin KafkaOptions kafka;

    /** Applies the change in the registry and returns the aliases after it. */
    abstract ModelAliases apply(ModelRegistry registry, String model, Attribution by);

    /** The one-line summary, e.g. "promoted 4 to champion (was 3)". */
    abstract String describe(String championBefore, ModelAliases after);

    @Override
    public Integer call() {
        Usage.check(spec, () -> ModelMetadata.checkId("model name", name));
        String command = spec.commandLine().getCommandName();
        try (ModelRegistryWriter writer = ModelRegistryWriter.open(spec, where, kafka, false)) {
            String before = writer.registry().aliases(name).champion();
            ModelAliases after =
                    apply(
                            writer.registry(),
                            name,
                            change.attribution("vigil model " + command + " " + name));
            writer.printChange(
                    spec.commandLine().getOut(),
                    "model " + name + ": " + describe(before, after),
                    after);
        }
        return 0;
    }
}
