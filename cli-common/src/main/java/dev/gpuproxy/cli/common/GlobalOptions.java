package dev.gpuproxy.cli.common;

import dev.gpuproxy.cli.common.output.OutputFormat;
import dev.gpuproxy.cli.common.output.OutputOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command of both tools accepts, in any position (before or after the subcommand), and the rules
 * that turn them, the environment and the config file into the server and key a command uses.
 */
public final class GlobalOptions {

    public static final String SERVER_VARIABLE = "GPUPROXY_URL";
    public static final String API_KEY_VARIABLE = "GPUPROXY_API_KEY";
    public static final String DEFAULT_SERVER = "http://localhost:8080";

    @Option(names = "--server", paramLabel = "<url>", scope = ScopeType.INHERIT, order = 100,
            description = "gpuproxyd base URL (else env GPUPROXY_URL, then the config file, then "
                    + DEFAULT_SERVER + ").")
    String server;

    @Option(names = {"--api-key", "-key"}, paramLabel = "<key>", scope = ScopeType.INHERIT, order = 101,
            description = "API key (else env GPUPROXY_API_KEY, then the key 'login' stored for this server).")
    String apiKey;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = {"-x", "--verbose"}, scope = ScopeType.INHERIT, order = 103,
            description = "Explain failures in full (stack traces, HTTP status and problem code).")
    boolean verbose;

    @Option(names = {"-dv", "--developer-mode"}, scope = ScopeType.INHERIT, order = 104,
            description = "Same as --verbose.")
    boolean developerMode;

    @Option(names = {"-dm", "--debug-mode"}, scope = ScopeType.INHERIT, order = 105,
            description = "Log each HTTP request and response to stderr (keys, tokens and passwords masked).")
    boolean debugMode;

    public OutputFormat format() {
        return output.format();
    }

    public boolean verbose() {
        return verbose || developerMode;
    }

    public boolean debugMode() {
        return debugMode;
    }

    /**
     * The server to talk to: {@code --server}, else {@code GPUPROXY_URL}, else the config file, else
     * {@value #DEFAULT_SERVER}; always an absolute http(s) URL without a trailing slash.
     */
    public URI server(CliEnvironment environment, CliConfig config) {
        String chosen = Optional.ofNullable(blankToNull(server))
                .or(() -> environment.variable(SERVER_VARIABLE))
                .or(config::server)
                .orElse(DEFAULT_SERVER);
        return parseServer(chosen);
    }

    /**
     * The API key to send: {@code --api-key}, else {@code GPUPROXY_API_KEY}, else the key stored by {@code login},
     * but only when {@code server} is the server it was stored for, so a key is never sent to another host.
     */
    public Optional<String> apiKey(CliEnvironment environment, CliConfig config, URI server) {
        return Optional.ofNullable(blankToNull(apiKey))
                .or(() -> environment.variable(API_KEY_VARIABLE))
                .or(() -> config.server().map(GlobalOptions::parseServer).filter(server::equals)
                        .flatMap(ignored -> config.apiKey()));
    }

    /** Validates and normalizes a server URL; a bad one is a usage error naming the value. */
    public static URI parseServer(String value) {
        String trimmed = value.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new CliException("the server must be an http:// or https:// URL such as " + DEFAULT_SERVER
                        + " (got '" + value + "')", ExitCodes.USAGE, null);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CliException("the server URL '" + value + "' is malformed: " + e.getReason(),
                    ExitCodes.USAGE, e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
