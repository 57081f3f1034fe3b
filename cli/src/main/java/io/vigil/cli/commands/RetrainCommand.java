package io.vigil.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil retrain ...}: the reference trainer of approved retrain requests. */
@Command(
        name = "retrain",
        description = "Train challengers for the retrain requests people approved.",
        mixinStandardHelpOptions = true,
        subcommands = {RetrainFollowCommand.class})
public final class RetrainCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
