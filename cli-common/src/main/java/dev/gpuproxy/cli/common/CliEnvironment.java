package dev.gpuproxy.cli.common;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a tool takes from the process it runs in: environment variables, standard input, the terminal (when
 * there is one), standard output and error, and the user's home folder. Tests build one with their own values, so
 * no command reads {@code System.getenv} or {@code System.in} directly.
 */
public final class CliEnvironment {

    /** Environment variable that moves the config file, mainly for tests and for several profiles. */
    public static final String CONFIG_VARIABLE = "GPUPROXY_CONFIG";

    private final Map<String, String> variables;
    private final InputStream stdin;
    private final Console console;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Path home;
    private BufferedReader stdinLines;

    public CliEnvironment(Map<String, String> variables, InputStream stdin, Console console, PrintWriter out,
            PrintWriter err, Path home) {
        this.variables = Map.copyOf(variables);
        this.stdin = stdin;
        this.console = console;
        this.out = out;
        this.err = err;
        this.home = home;
    }

    /** The real process: its environment, stdin, terminal, stdout and stderr. */
    public static CliEnvironment system() {
        Console console = System.console();
        Charset charset = console != null ? console.charset() : Charset.defaultCharset();
        return new CliEnvironment(System.getenv(), System.in, console,
                new PrintWriter(new OutputStreamWriter(System.out, charset), true),
                new PrintWriter(new OutputStreamWriter(System.err, charset), true),
                Path.of(System.getProperty("user.home")));
    }

    /** The value of an environment variable, empty when it is unset or blank. */
    public Optional<String> variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Where the config file lives: {@code GPUPROXY_CONFIG}, else {@code ~/.config/gpuproxy/config.properties}. */
    public Path configFile() {
        return variable(CONFIG_VARIABLE).map(Path::of)
                .orElseGet(() -> home.resolve(".config").resolve("gpuproxy").resolve("config.properties"));
    }

    /** The terminal when both stdin and stdout are attached to one, else null. */
    public Console console() {
        return console;
    }

    /** Whether a person is likely watching: prompts and progress go to the terminal only then. */
    public boolean interactive() {
        return console != null;
    }

    /** Reads one line of standard input (without its line break), or null at end of input. */
    public String readStdinLine() {
        try {
            if (stdinLines == null) {
                stdinLines = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            }
            return stdinLines.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("standard input cannot be read", e);
        }
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }
}
