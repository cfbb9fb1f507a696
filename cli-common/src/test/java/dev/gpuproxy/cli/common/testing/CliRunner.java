package dev.gpuproxy.cli.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.Cli;
import dev.gpuproxy.cli.common.CliEnvironment;
import dev.gpuproxy.cli.common.CliRoot;
import dev.gpuproxy.cli.common.http.Json;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a tool's real Picocli command line in-process, the way {@code main} does, with captured stdout, stderr and
 * exit code, a chosen environment and standard input, and a config file inside the test's own folder.
 */
public final class CliRunner {

    /** What one run produced. */
    public record Result(int exitCode, String out, String err) {

        /** Stdout parsed as JSON (fails the test when it is not). */
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(out);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException("stdout is not JSON:\n" + out + "\nstderr:\n" + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Function<CliEnvironment, CliRoot> tool;
    private final Path home;
    private final Map<String, String> variables = new HashMap<>();

    /**
     * @param tool the root command's constructor, such as {@code ClientCommand::new}
     * @param home the test's temporary folder: home of the tool, and of its config file
     */
    public CliRunner(Function<CliEnvironment, CliRoot> tool, Path home) {
        this.tool = tool;
        this.home = home;
        variables.put(CliEnvironment.CONFIG_VARIABLE, configFile().toString());
    }

    /** Sets an environment variable for the following runs. */
    public CliRunner env(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public Path configFile() {
        return home.resolve("config").resolve("config.properties");
    }

    public Result run(String... args) {
        return runWithStdin("", args);
    }

    /** Runs with the given text on standard input and no terminal, as in a pipeline. */
    public Result runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = new CliEnvironment(variables,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null, new PrintWriter(out, true),
                new PrintWriter(err, true), home);
        int exitCode = Cli.run(tool.apply(environment), args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
