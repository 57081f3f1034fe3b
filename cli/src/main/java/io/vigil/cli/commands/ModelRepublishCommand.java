package io.vigil.cli.commands;

import io.vigil.models.registry.Attribution;
import io.vigil.models.registry.ModelAliases;
import io.vigil.models.registry.ModelRegistry;
import picocli.CommandLine.Command;

/**
 * {@code vigil model republish NAME}: announces the current champion and challenger again, for a
 * scoring job whose model-events topic lost them (e.g. after {@code ./vigil down --purge}).
 */
@Command(
        name = "republish",
        description = {
            "Announce the current champion and challenger again (ALIAS_SET events), changing"
                    + " nothing: for a model-events topic that lost them, e.g. a purged or new"
                    + " Kafka cluster. A running scoring job takes them as a no-op.",
            "Refused when the model has no champion."
        },
        footer = {"", ModelRegistryWriter.EVENTS_NOTE},
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ModelRepublishCommand extends ChampionChangeCommand {

    @Override
    ModelAliases apply(ModelRegistry registry, String model, Attribution by) {
        return registry.republish(model, by);
    }

    @Override
    String describe(String before, ModelAliases after) {
        return "announced champion "
                + after.champion()
                + (after.challenger() == null
                        ? ""
                        : " and challenger " + after.challenger().version())
                + " again";
    }
}
