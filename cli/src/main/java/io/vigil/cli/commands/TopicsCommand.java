package io.vigil.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil topics ...}: inspect the deployment's topics. */
@Command(
        name = "topics",
        description = "Inspect Vigil's Kafka topics.",
        mixinStandardHelpOptions = true,
        subcommands = {TopicsCountCommand.class})
public final class TopicsCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
