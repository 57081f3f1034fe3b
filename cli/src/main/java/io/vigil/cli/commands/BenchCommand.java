package io.vigil.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil bench ...}: benchmarks against a running stack. */
@Command(
        name = "bench",
        description = "Benchmarks against a running stack: produce throughput, end-to-end latency.",
        mixinStandardHelpOptions = true,
        subcommands = {BenchProduceCommand.class, BenchE2eCommand.class})
public final class BenchCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
