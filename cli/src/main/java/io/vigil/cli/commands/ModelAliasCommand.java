package io.vigil.cli.commands;

import io.vigil.cli.KafkaOptions;
import io.vigil.cli.Usage;
import io.vigil.models.ModelMetadata;
import io.vigil.models.registry.ModelAliases;
import io.vigil.schemas.ChallengerMode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil model alias NAME VERSION --as champion|challenger [--mode shadow|canary --share S]}:
 * gives a registered version a role. A new champion keeps the old one for a rollback; a challenger
 * replaces the current one.
 */
@Command(
        name = "alias",
        description = {
            "Make a registered version the champion (it decides) or the challenger (shadow: scored"
                    + " and logged only; canary: decides for a hash-selected share of customers).",
            "Refused, changing nothing: a version that is not registered, a challenger without a"
                    + " champion, the champion as challenger, a canary without --share."
        },
        footer = {"", ModelRegistryWriter.EVENTS_NOTE},
        sortOptions = false,
        mixinStandardHelpOptions = true)
public final class ModelAliasCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "A registered version.")
    String version;

    @Option(
            names = "--as",
            required = true,
            paramLabel = "champion|challenger",
            converter = ModelConverters.RoleConverter.class,
            description = "The role.")
    ModelConverters.Role role;

    @Option(
            names = "--mode",
            paramLabel = "shadow|canary",
            converter = ModelConverters.ModeConverter.class,
            description = "How a challenger takes part (default: shadow).")
    ChallengerMode mode;

    @Option(
            names = "--share",
            paramLabel = "FRACTION",
            description = "A canary's share of customers, in (0, 1], e.g. 0.1.")
    Double share;

    @Mixin ModelRegistryOptions where;

    @Mixin ModelChangeOptions change;

    @Mixin KafkaOptions kafka;

    @Override
    public Integer call() {
        Usage.check(spec, this::validate);
        try (ModelRegistryWriter writer = ModelRegistryWriter.open(spec, where, kafka, false)) {
            String command =
                    "vigil model alias "
                            + name
                            + " "
                            + version
                            + " --as "
                            + role.name().toLowerCase(Locale.ROOT);
            ModelAliases after;
            if (role == ModelConverters.Role.CHAMPION) {
                after = writer.registry().setChampion(name, version, change.attribution(command));
            } else {
                ChallengerMode m = mode == null ? ChallengerMode.SHADOW : mode;
                after =
                        writer.registry()
                                .setChallenger(
                                        name,
                                        version,
                                        m,
                                        share == null ? 0 : share,
                                        change.attribution(
                                                command
                                                        + " --mode "
                                                        + m.name().toLowerCase(Locale.ROOT)
                                                        + (share == null
                                                                ? ""
                                                                : " --share " + share)));
            }
            writer.printChange(
                    spec.commandLine().getOut(),
                    "model "
                            + name
                            + ": "
                            + version
                            + " is now the "
                            + ModelViews.role(after, version),
                    after);
        }
        return 0;
    }

    private Void validate() {
        ModelMetadata.checkId("model name", name);
        ModelMetadata.checkId("version of model " + name, version);
        if (role == ModelConverters.Role.CHAMPION && (mode != null || share != null)) {
            throw new IllegalArgumentException(
                    "--mode and --share are for a challenger; a champion always decides");
        }
        if (mode == ChallengerMode.CANARY && (share == null || !(share > 0 && share <= 1))) {
            throw new IllegalArgumentException(
                    "a canary challenger needs --share in (0, 1], e.g. --share 0.1, got " + share);
        }
        if (mode != ChallengerMode.CANARY && share != null) {
            throw new IllegalArgumentException(
                    "--share is only for --mode canary (a shadow challenger never decides)");
        }
        return null;
    }
}
