package io.vigil.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil review ...}: the reviewers' approval queue for drift alerts. */
@Command(
        name = "review",
        description = {
            "The approval queue for drift alerts: nothing retrains until a person approves.",
            "'serve' runs the queue (web page + JSON API); 'list', 'approve' and 'reject' talk to"
                    + " a running one."
        },
        mixinStandardHelpOptions = true,
        subcommands = {
            ReviewServeCommand.class,
            ReviewListCommand.class,
            ReviewApproveCommand.class,
            ReviewRejectCommand.class
        })
public final class ReviewCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
