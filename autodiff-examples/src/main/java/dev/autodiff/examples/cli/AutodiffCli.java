package dev.autodiff.examples.cli;

import dev.autodiff.nn.NotEnoughMemoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * The {@code autodiff} command: trains, evaluates and inspects models from the command
 * line. Every failure, on any thread, prints one line to stderr and exits with code 2 (the
 * command line could not be parsed) or 1 (the run failed), never a stack trace; a memory
 * shortage says how much heap to give. {@code --debug} adds the stack trace.
 */
@Command(name = "autodiff", mixinStandardHelpOptions = true, version = "autodiff 0.1.0",
        description = "Trains and evaluates neural networks in pure Java.",
        subcommands = {TrainCommand.class, EvalCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class AutodiffCli implements Runnable {
    /** Exit code of a run that failed on bad input or a missing file. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a command line that could not be parsed (picocli's convention). */
    public static final int EXIT_USAGE = 2;
    /** The environment variable the launcher passes to the JVM. */
    static final String JAVA_OPTS = "AUTODIFF_JAVA_OPTS";

    private boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "print the stack trace of a failure after its one-line message")
    void debug(boolean on) {
        debug = on;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: train, eval or info");
    }

    /** The command line with the converters and the one-line error handlers installed. */
    public static CommandLine commandLine() {
        AutodiffCli app = new AutodiffCli();
        CommandLine cl = new CommandLine(app);
        Choice.registerAll(cl);
        cl.getSubcommands().get("train").setResourceBundle(new OptimizerHelp());
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("autodiff: " + Suggestion.describe(e) + " (see: autodiff "
                    + subcommandPath(e.getCommandLine()) + "--help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> fail(e, commandLine.getErr(), app.debug));
        return cl;
    }

    /** Runs {@code args} on {@code cl}; failures that picocli lets through (errors such as running out of memory) end in one line too. */
    public static int execute(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } catch (RuntimeException | Error e) {
            return fail(e, cl.getErr(), cl.<AutodiffCli>getCommand().debug);
        }
    }

    /** Prints the one line of a failure (and its trace with {@code debug}) and returns the exit code. */
    static int fail(Throwable e, PrintWriter err, boolean debug) {
        err.println("autodiff: " + message(e));
        if (debug) {
            // The one place a trace is printed: asked for with --debug.
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    private static String subcommandPath(CommandLine cl) {
        return cl.getParent() == null ? "" : cl.getCommandName() + " ";
    }

    /** The one-line message of a failure: the file for exceptions that carry only a path, a remedy for memory. */
    static String message(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        return switch (t) {
            case NoSuchFileException n -> "not found: " + n.getFile() + (n.getReason() != null ? " (" + n.getReason() + ")" : "");
            case AccessDeniedException a -> "permission denied: " + a.getFile()
                    + (a.getReason() != null ? " (" + a.getReason() + ")" : "");
            case FileSystemException f -> f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "cannot access it");
            case NotEnoughMemoryException m -> m.getMessage() + "; give the JVM more, e.g. " + JAVA_OPTS + "=-Xmx"
                    + suggestedHeap(m.needed() + m.maxHeap()) + "m";
            case OutOfMemoryError o -> "out of memory with a maximum heap of "
                    + NotEnoughMemoryException.megabytes(Runtime.getRuntime().maxMemory()) + " MB; give the JVM more, e.g. "
                    + JAVA_OPTS + "=-Xmx" + suggestedHeap(2 * Runtime.getRuntime().maxMemory()) + "m";
            case StackOverflowError s -> "stack overflow; give the JVM a larger stack, e.g. " + JAVA_OPTS + "=-Xss16m";
            case IOException x -> x.getMessage() != null ? x.getMessage() : x.getClass().getSimpleName();
            case IllegalArgumentException x when x.getMessage() != null -> x.getMessage();
            case IllegalStateException x when x.getMessage() != null -> x.getMessage();
            case TrainingDivergedException x -> x.getMessage();
            default -> "internal error: " + t + " (please report it; --debug shows the stack trace)";
        };
    }

    /** A heap size in megabytes of at least {@code bytes}, rounded up to a multiple of 256 MB. */
    private static long suggestedHeap(long bytes) {
        long mb = NotEnoughMemoryException.megabytes(bytes);
        return (mb + 255) / 256 * 256;
    }

    /**
     * Runs the command line and exits with its code. A failure on another thread also ends
     * the program with one line and code 1.
     */
    public static void main(String[] args) {
        CommandLine cl = commandLine();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            fail(e, new PrintWriter(System.err, true), cl.<AutodiffCli>getCommand().debug);
            Runtime.getRuntime().halt(EXIT_FAILURE);
        });
        System.exit(execute(cl, args));
    }

    /** The message of a command line that does not parse, with the closest command or option to a mistyped one. */
    private static final class Suggestion {
        static String describe(CommandLine.ParameterException e) {
            if (!(e instanceof CommandLine.UnmatchedArgumentException u)) {
                return e.getMessage();
            }
            List<String> suggestions = u.getSuggestions();
            String hint = suggestions.isEmpty() ? "" : "; did you mean " + suggestions.getFirst() + "?";
            List<String> unmatched = u.getUnmatched();
            boolean command = u.getCommandLine().getParent() == null && !unmatched.isEmpty()
                    && !unmatched.getFirst().startsWith("-");
            return (command ? "unknown command '" + unmatched.getFirst() + "'" : e.getMessage()) + hint;
        }
    }
}
