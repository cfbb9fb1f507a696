package dev.gpuproxy.cli.common;

import picocli.CommandLine.Mixin;

/**
 * The top command of a tool: holds the environment it runs in and the global options every subcommand inherits.
 * {@code gpuproxy-client} and {@code gpuproxy-admin} differ only in their {@code @Command} annotation.
 */
public abstract class RootCommand extends CommandGroup implements CliRoot {

    private final CliEnvironment environment;

    @Mixin
    GlobalOptions options;

    protected RootCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public CliEnvironment environment() {
        return environment;
    }

    @Override
    public GlobalOptions options() {
        return options;
    }
}
