package dev.gpuproxy.cli.common;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of commands that only group subcommands (each tool's root, {@code keys}): run without a subcommand, they
 * fail with a usage error that names the choices, and the tool prints their help.
 */
public abstract class CommandGroup implements Runnable {

    @Spec
    protected CommandSpec spec;

    @Override
    public void run() {
        throw new MissingCommandException(spec);
    }

    /** A group ran without a subcommand; the tool answers with the group's help. */
    static final class MissingCommandException extends ParameterException {
        MissingCommandException(CommandSpec spec) {
            super(spec.commandLine(),
                    "missing command: choose one of " + String.join(", ", spec.subcommands().keySet()));
        }
    }
}
