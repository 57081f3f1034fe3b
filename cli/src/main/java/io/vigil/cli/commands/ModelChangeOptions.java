package io.vigil.cli.commands;

import io.vigil.models.registry.Attribution;
import picocli.CommandLine.Option;

/** Who changes the registry and why: both go to the audit log and the model event. */
public final class ModelChangeOptions {

    @Option(
            names = "--actor",
            paramLabel = "WHO",
            description = "Who makes the change, for the audit log (default: the OS user).")
    String actor;

    @Option(
            names = "--reason",
            paramLabel = "TEXT",
            description = "Why, for the audit log (default: the command line).")
    String reason;

    /** The attribution; {@code commandLine} is the reason when none was given. */
    public Attribution attribution(String commandLine) {
        String who = actor != null ? actor : System.getProperty("user.name", "unknown");
        return new Attribution(who, reason != null ? reason : commandLine);
    }
}
