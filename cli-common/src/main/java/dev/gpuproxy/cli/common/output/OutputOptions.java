package dev.gpuproxy.cli.common.output;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The output option as a picocli mixin: {@code --format text|json}. Mixed into the global options, so every command
 * of both tools accepts it in any position.
 */
public final class OutputOptions {

    @Option(names = "--format", paramLabel = "text|json", scope = ScopeType.INHERIT, order = 102,
            converter = OutputFormat.Converter.class,
            description = "Output: 'text' (tables, the default) or 'json' (the server's field names, for scripts).")
    OutputFormat format = OutputFormat.TEXT;

    public OutputFormat format() {
        return format;
    }
}
