package io.vigil.cli.commands;

import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelRegistry;
import picocli.CommandLine.Command;

/** {@code vigil model promote NAME}: the challenger becomes the champion. */
@Command(
        name = "promote",
        description = {
            "The challenger becomes the champion; the old champion is kept for a rollback.",
            "Refused, changing nothing, when there is no challenger."
        },
        footer = {"", ModelRegistryWriter.EVENTS_NOTE},
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ModelPromoteCommand extends ChampionChangeCommand {

    @Override
    ModelAliases apply(ModelRegistry registry, String model, Attribution by) {
        return registry.promote(model, by);
    }

    @Override
    String describe(String before, ModelAliases after) {
        return "promoted "
                + after.champion()
                + " to champion (was "
                + ModelViews.orNone(before)
                + ")";
    }
}
