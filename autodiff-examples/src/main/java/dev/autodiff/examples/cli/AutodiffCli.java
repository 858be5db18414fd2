package dev.autodiff.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The {@code autodiff} command: trains, evaluates and inspects models from the command
 * line. A user's mistake (a bad option, a missing file, malformed data) prints one line
 * to stderr and exits with a non-zero code, never a stack trace.
 */
@Command(name = "autodiff", mixinStandardHelpOptions = true, version = "autodiff 0.1.0",
        description = "Trains and evaluates neural networks in pure Java.",
        subcommands = {TrainCommand.class, EvalCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class AutodiffCli implements Runnable {
    /** Exit code of a run that failed on bad input or a missing file. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a command line that could not be parsed (picocli's convention). */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: train, eval or info");
    }

    /** The command line with the converters and the one-line error handlers installed. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new AutodiffCli());
        Choice.registerAll(cl);
        cl.getSubcommands().get("train").setResourceBundle(new OptimizerHelp());
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("autodiff: " + e.getMessage() + " (see: autodiff "
                    + subcommandPath(e.getCommandLine()) + "--help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("autodiff: " + message(e));
                return EXIT_FAILURE;
            }
            throw e;
        });
        return cl;
    }

    private static String subcommandPath(CommandLine cl) {
        return cl.getParent() == null ? "" : cl.getCommandName() + " ";
    }

    /** The message of a user-facing failure, with the file for exceptions that carry only a path. */
    static String message(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof java.nio.file.NoSuchFileException n) {
            return "not found: " + n.getFile() + (n.getReason() != null ? " (" + n.getReason() + ")" : "");
        }
        if (t instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
