package dev.gpuproxy.cli.common;

import dev.gpuproxy.cli.common.http.ApiException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Builds and runs a tool's command line with the shared behaviour: output through the environment's writers,
 * usage errors as exit 2 with a pointer to {@code --help}, failures as one
 * {@code <tool>: error: <detail> (use --verbose for details)} line and the failure's exit code.
 */
public final class Cli {

    private Cli() {
    }

    /** Runs the tool and returns its exit code (what {@code main} passes to {@code System.exit}). */
    public static int run(CliRoot root, String... args) {
        return commandLine(root).execute(args);
    }

    /** The configured Picocli command line for a tool's root command. */
    public static CommandLine commandLine(CliRoot root) {
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(root.environment().out());
        commandLine.setErr(root.environment().err());
        commandLine.setParameterExceptionHandler(Cli::usageError);
        commandLine.setExecutionExceptionHandler(
                (error, failed, parseResult) -> failure(root, error, failed));
        return commandLine;
    }

    private static int usageError(ParameterException error, String[] args) {
        CommandLine failed = error.getCommandLine();
        PrintWriter err = failed.getErr();
        CommandSpec spec = failed.getCommandSpec();
        err.println(spec.root().name() + ": error: " + error.getMessage());
        UnmatchedArgumentException.printSuggestions(error, err);
        if (error instanceof CommandGroup.MissingCommandException) {
            err.println();
            failed.usage(err);
        } else {
            err.println("Try '" + spec.qualifiedName() + " --help' for more information.");
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    private static int failure(CliRoot root, Exception error, CommandLine failed) {
        PrintWriter err = failed.getErr();
        CommandSpec spec = failed.getCommandSpec();
        int exitCode = error instanceof CliException known ? known.exitCode() : ExitCodes.ERROR;
        String message = error instanceof CliException ? error.getMessage() : describe(error);
        String prefix = spec.root().name() + ": error: ";
        if (exitCode == ExitCodes.USAGE) {
            err.println(prefix + message);
            err.println("Try '" + spec.qualifiedName() + " --help' for more information.");
        } else if (root.options().verbose()) {
            err.println(prefix + message);
            if (error instanceof ApiException problem) {
                err.println(problem.summary());
            }
            error.printStackTrace(err);
        } else {
            err.println(prefix + message + " (use --verbose for details)");
        }
        err.flush();
        return exitCode;
    }

    private static String describe(Exception error) {
        String message = error.getMessage();
        return "unexpected " + error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
