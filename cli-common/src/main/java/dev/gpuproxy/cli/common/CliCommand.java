package dev.gpuproxy.cli.common;

import dev.gpuproxy.cli.common.output.Output;
import java.io.Console;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of every leaf command: access to the tool's environment, global options and output, usage errors and
 * secret prompts. A command implements {@link #execute()} and throws to fail; returning means exit code 0.
 */
public abstract class CliCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    private Output output;

    @Override
    public final Integer call() throws Exception {
        execute();
        return ExitCodes.OK;
    }

    /** Does the command's work, printing through {@link #output()}; throws {@link CliException} to fail. */
    protected abstract void execute() throws Exception;

    protected CliRoot root() {
        return (CliRoot) spec.root().userObject();
    }

    protected CliEnvironment environment() {
        return root().environment();
    }

    protected GlobalOptions options() {
        return root().options();
    }

    /** The tool's name as the user typed it in examples, such as {@code gpuproxy-client}. */
    protected String toolName() {
        return spec.root().name();
    }

    protected Output output() {
        if (output == null) {
            output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), options().format());
        }
        return output;
    }

    /** A usage error of this command (exit code 2); throw the result. */
    protected ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * Reads a secret without echo at a terminal, or as the first line of standard input when there is no terminal
     * (so scripts can pipe it and it stays out of the shell history).
     *
     * @param prompt shown at the terminal, such as "Password: "
     * @param what   named in the usage error when nothing was given, such as "password"
     */
    protected String readSecret(String prompt, String what) {
        Console console = environment().console();
        String value;
        if (console != null) {
            char[] typed = console.readPassword("%s", prompt);
            value = typed == null ? null : new String(typed);
        } else {
            value = environment().readStdinLine();
        }
        if (value == null || value.isEmpty()) {
            throw usageError("no " + what + " given: type it at the prompt or pipe it on standard input");
        }
        return value;
    }
}
