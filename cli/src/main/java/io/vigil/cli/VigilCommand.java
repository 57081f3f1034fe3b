package io.vigil.cli;

import io.vigil.cli.commands.BenchCommand;
import io.vigil.cli.commands.FeaturesCommand;
import io.vigil.cli.commands.GuardCommand;
import io.vigil.cli.commands.ModelCommand;
import io.vigil.cli.commands.ReplayCommand;
import io.vigil.cli.commands.RetrainCommand;
import io.vigil.cli.commands.ReviewCommand;
import io.vigil.cli.commands.SimulateCommand;
import io.vigil.cli.commands.TopicsCommand;
import io.vigil.cli.commands.WatchCommand;
import java.io.PrintWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code vigil} command line: simulate or replay transactions into Kafka, count and watch the
 * topics, benchmark producing. Exit codes: 0 ok, 1 runtime failure, 2 bad usage. An error prints
 * one line on stderr; {@code --verbose} adds the stack trace and client logging.
 */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VigilCommand.Version.class,
        description = "Vigil: streaming real-time fraud-model platform — command line tools.",
        subcommands = {
            SimulateCommand.class,
            ReplayCommand.class,
            TopicsCommand.class,
            WatchCommand.class,
            BenchCommand.class,
            ModelCommand.class,
            FeaturesCommand.class,
            ReviewCommand.class,
            RetrainCommand.class,
            GuardCommand.class,
            CommandLine.HelpCommand.class
        })
public final class VigilCommand implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Stack traces on errors and INFO logging of the Kafka clients.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        if (verbose) {
            Configurator.setRootLevel(Level.INFO);
        }
    }

    private boolean verbose;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(
                run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code; output goes to the given writers. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        VigilCommand root = new VigilCommand();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(e -> EXIT_FAILURE);
        cli.setParameterExceptionHandler(
                (e, params) -> {
                    CommandLine failed = e.getCommandLine();
                    err.println(
                            failed.getCommandSpec().qualifiedName()
                                    + ": "
                                    + e.getMessage()
                                    + " (see '"
                                    + failed.getCommandSpec().qualifiedName()
                                    + " --help')");
                    err.flush();
                    return EXIT_USAGE;
                });
        cli.setExecutionExceptionHandler(
                (e, failed, parseResult) -> {
                    err.println("vigil: " + Errors.describe(e));
                    if (root.verbose) {
                        e.printStackTrace(err);
                    }
                    err.flush();
                    return EXIT_FAILURE;
                });
        return cli.execute(args);
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = VigilCommand.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (version == null ? "development" : version)};
        }
    }
}
