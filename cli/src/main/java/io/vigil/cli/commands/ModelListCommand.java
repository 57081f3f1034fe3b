package io.vigil.cli.commands;

import io.vigil.cli.Usage;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.FileSystemModelRegistry;
import io.vigil.models.registry.ModelAliases;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil model list [NAME]}: the registered models, or the versions of one. */
@Command(
        name = "list",
        description = {
            "List the registered models, or the versions of one.",
            "Without NAME: every registered model with its champion and challenger.",
            "With NAME: the model's versions, oldest first, with role and validation metrics."
        },
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ModelListCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A model name.")
    String name;

    @Mixin ModelRegistryOptions where;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (name != null) {
            Usage.check(spec, () -> ModelMetadata.checkId("model name", name));
        }
        if (!where.exists()) {
            out.println("no models: there is no registry at " + where.root().toAbsolutePath());
            out.flush();
            return 0;
        }
        FileSystemModelRegistry registry = where.openForReading();
        if (name != null) {
            List<ModelMetadata> versions = registry.versions(name);
            if (versions.isEmpty()) {
                throw new IllegalStateException(
                        "no model "
                                + name
                                + " in "
                                + registry.root().toAbsolutePath()
                                + " (registered: "
                                + registry.models()
                                + ")");
            }
            ModelViews.versionsTable(versions, registry.aliases(name)).print(out);
            return 0;
        }
        List<String> models = registry.models();
        if (models.isEmpty()) {
            out.println("no models registered in " + registry.root().toAbsolutePath());
            out.flush();
            return 0;
        }
        ModelTable table =
                new ModelTable()
                        .text("MODEL")
                        .number("VERSIONS")
                        .text("CHAMPION")
                        .text("CHALLENGER")
                        .text("LATEST")
                        .text("REGISTERED (UTC)");
        for (String model : models) {
            List<ModelMetadata> versions = registry.versions(model);
            ModelAliases aliases = registry.aliases(model);
            ModelMetadata latest = versions.isEmpty() ? null : versions.get(versions.size() - 1);
            String challenger =
                    aliases.challenger() == null
                            ? null
                            : aliases.challenger().version()
                                    + " "
                                    + ModelViews.role(aliases, aliases.challenger().version())
                                            .substring("challenger ".length());
            table.row(
                    model,
                    versions.size(),
                    aliases.champion(),
                    challenger,
                    latest == null ? null : latest.version(),
                    latest == null ? null : ModelViews.timestamp(latest.registeredAt()));
        }
        table.print(out);
        return 0;
    }
}
