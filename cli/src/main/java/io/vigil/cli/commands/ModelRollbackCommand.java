package io.vigil.cli.commands;

import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelRegistry;
import picocli.CommandLine.Command;

/** {@code vigil model rollback NAME}: the previous champion decides again. */
@Command(
        name = "rollback",
        description = {
            "The previous champion decides again (a challenger stays, unless it is that version).",
            "Refused, changing nothing, when there is no previous champion."
        },
        footer = {"", ModelRegistryWriter.EVENTS_NOTE},
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ModelRollbackCommand extends ChampionChangeCommand {

    @Override
    ModelAliases apply(ModelRegistry registry, String model, Attribution by) {
        return registry.rollback(model, by);
    }

    @Override
    String describe(String before, ModelAliases after) {
        return "rolled back to " + after.champion() + " (was " + ModelViews.orNone(before) + ")";
    }
}
