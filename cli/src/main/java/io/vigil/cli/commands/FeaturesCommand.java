package io.vigil.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil features ...}: the feature log. */
@Command(
        name = "features",
        description = "Work with the feature log (one feature vector per transaction).",
        mixinStandardHelpOptions = true,
        subcommands = {FeaturesDumpCommand.class})
public final class FeaturesCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
