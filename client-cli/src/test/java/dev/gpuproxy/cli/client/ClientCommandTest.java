package dev.gpuproxy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.cli.common.Cli;
import dev.gpuproxy.cli.common.CliEnvironment;
import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClientCommandTest {

    @TempDir
    Path home;

    @Test
    void versionNamesTheToolAndItsVersion() {
        Result result = new CliRunner(ClientCommand::new, home).run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("^gpuproxy-client \\d+\\.\\d+\\.\\d+\\S*\nJava 17");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        List<List<String>> paths = commandPaths();
        assertThat(paths).contains(List.of("login"), List.of("whoami"), List.of("keys", "create"),
                List.of("keys", "list"), List.of("keys", "revoke"));

        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Result result = new CliRunner(ClientCommand::new, home).run(args.toArray(String[]::new));

            assertThat(result.exitCode()).as("%s --help", path).isZero();
            assertThat(result.out()).as("%s --help", path)
                    .startsWith("Usage: " + String.join(" ", prepend("gpuproxy-client", path)))
                    .containsPattern("\nExamples:\n(  #.*\n)?  gpuproxy-client ").contains("--server", "--format");
        }
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithASuggestion() {
        Result result = new CliRunner(ClientCommand::new, home).run("whoam");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("gpuproxy-client: error: Unmatched argument at index 0: 'whoam'",
                "Did you mean: gpuproxy-client whoami", "Try 'gpuproxy-client --help' for more information.");
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        Result result = new CliRunner(ClientCommand::new, home).run("whoami", "--format", "xml");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Invalid value for option '--format': expected text or json but was 'xml'");
    }

    @Test
    void noCommandPrintsTheCommandsAndExitsTwo() {
        Result result = new CliRunner(ClientCommand::new, home).run();

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("missing command: choose one of login, whoami, keys", "Commands:");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aServerUrlThatIsNotHttpIsAUsageError() {
        Result result = new CliRunner(ClientCommand::new, home).run("--server", "ftp://example.com", "whoami");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("must be an http:// or https:// URL", "'ftp://example.com'");
    }

    @Test
    void developerModeExplainsFailuresLikeVerbose() {
        Result result = new CliRunner(ClientCommand::new, home)
                .run("-dv", "--server", "http://127.0.0.1:" + dev.gpuproxy.cli.common.testing.Ports.closedPort(),
                        "--api-key", "gpx_abcdefgh_secret", "whoami");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("ServerUnavailableException", "\tat ").doesNotContain("use --verbose");
    }

    private List<List<String>> commandPaths() {
        CliEnvironment environment = new CliEnvironment(Map.of(), new ByteArrayInputStream(new byte[0]), null,
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), home);
        List<List<String>> paths = new ArrayList<>();
        paths.add(List.of());
        collect(Cli.commandLine(new ClientCommand(environment)), List.of(), paths);
        return paths;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = prepend(path, name);
            paths.add(subPath);
            collect(sub, subPath, paths);
        });
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static List<String> prepend(List<String> path, String last) {
        List<String> all = new ArrayList<>(path);
        all.add(last);
        return all;
    }
}
