package io.vigil.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil model ...}: the model registry, training and offline evaluation. */
@Command(
        name = "model",
        description = "Register, inspect, promote, train and evaluate fraud models.",
        mixinStandardHelpOptions = true,
        subcommands = {
            ModelListCommand.class,
            ModelShowCommand.class,
            ModelRegisterCommand.class,
            ModelAliasCommand.class,
            ModelPromoteCommand.class,
            ModelRollbackCommand.class,
            ModelRepublishCommand.class,
            ModelTrainCommand.class,
            ModelEvaluateCommand.class
        })
public final class ModelCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
