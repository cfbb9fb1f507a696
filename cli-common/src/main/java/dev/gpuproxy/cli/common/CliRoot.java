package dev.gpuproxy.cli.common;

/**
 * Implemented by each tool's top-level command: it owns the environment the tool runs in and the global options,
 * which Picocli fills from any position on the command line (they are inherited by every subcommand).
 */
public interface CliRoot {

    CliEnvironment environment();

    GlobalOptions options();
}
