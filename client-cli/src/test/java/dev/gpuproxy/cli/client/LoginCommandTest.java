package dev.gpuproxy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.CliConfig;
import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import dev.gpuproxy.cli.common.testing.IdentityStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginCommandTest {

    private static final String PASSWORD = "correct-horse-battery";

    @TempDir
    Path home;

    private IdentityStub server;
    private CliRunner cli;
    private long alice;

    @BeforeEach
    void start() {
        server = new IdentityStub();
        alice = server.addUser("alice@example.com", PASSWORD, "Alice", "user");
        cli = new CliRunner(ClientCommand::new, home);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void loginCreatesAKeyNamedGpuproxyClientAndStoresItWithTheServer() throws Exception {
        Result result = cli.runWithStdin(PASSWORD + "\n", "--server", server.baseUrl(), "login",
                "alice@example.com");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<JsonNode> keys = server.keysOf(alice);
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).path("name").asText()).isEqualTo("gpuproxy-client");
        assertThat(server.lastRequest("POST", "/api/v1/auth/apikey").headers().get("authorization"))
                .as("the key is created with the login's access token").startsWith("Bearer eyJ");

        CliConfig stored = CliConfig.load(cli.configFile());
        assertThat(stored.server()).contains(server.baseUrl());
        String key = stored.apiKey().orElseThrow();
        assertThat(key).startsWith("gpx_" + keys.get(0).path("prefix").asText() + "_");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.configFile())))
                .isEqualTo("rw-------");

        assertThat(result.out()).contains("Logged in to " + server.baseUrl() + " as alice@example.com.",
                "Stored API key gpx_" + keys.get(0).path("prefix").asText() + "_…", cli.configFile().toString());
        assertThat(result.out() + result.err()).doesNotContain(PASSWORD).doesNotContain(key);
    }

    @Test
    void laterCommandsUseTheStoredServerAndKey() {
        cli.runWithStdin(PASSWORD + "\n", "--server", server.baseUrl(), "login", "alice@example.com");

        Result whoami = cli.run("whoami");

        assertThat(whoami.exitCode()).as(whoami.toString()).isZero();
        assertThat(whoami.out()).contains("alice@example.com");
        assertThat(server.lastRequest("GET", "/api/v1/user/me").headers().get("x-api-key"))
                .isEqualTo(CliConfig.load(cli.configFile()).apiKey().orElseThrow());
    }

    @Test
    void keyNameCanBeChosen() {
        Result result = cli.runWithStdin(PASSWORD + "\n", "--server", server.baseUrl(), "login",
                "alice@example.com", "--key-name", "build-box");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(server.keysOf(alice)).extracting(key -> key.path("name").asText()).containsExactly("build-box");
    }

    @Test
    void wrongPasswordPrintsTheServersDetailAndStoresNothing() {
        Result result = cli.runWithStdin("not-the-password\n", "--server", server.baseUrl(), "login",
                "alice@example.com");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(
                "gpuproxy-client: error: Invalid email or password (use --verbose for details)\n");
        assertThat(result.out()).isEmpty();
        assertThat(cli.configFile()).doesNotExist();
        assertThat(server.keysOf(alice)).isEmpty();
    }

    @Test
    void jsonOutputDescribesTheLoginWithoutTheSecret() {
        Result result = cli.runWithStdin(PASSWORD + "\n", "--server", server.baseUrl(), "--format", "json",
                "login", "alice@example.com");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode json = result.json();
        assertThat(json.path("server").asText()).isEqualTo(server.baseUrl());
        assertThat(json.path("user").path("email").asText()).isEqualTo("alice@example.com");
        assertThat(json.path("api_key").path("name").asText()).isEqualTo("gpuproxy-client");
        assertThat(json.path("api_key").path("prefix").asText()).isNotEmpty();
        assertThat(json.path("api_key").has("api_key")).isFalse();
        assertThat(json.path("config_file").asText()).isEqualTo(cli.configFile().toString());
        assertThat(result.out()).doesNotContain(CliConfig.load(cli.configFile()).apiKey().orElseThrow());
    }

    @Test
    void noPasswordOnStandardInputIsAUsageErrorAndSendsNothing() {
        Result result = cli.run("--server", server.baseUrl(), "login", "alice@example.com");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("gpuproxy-client: error: no password given")
                .contains("Try 'gpuproxy-client login --help'");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void missingEmailIsAUsageError() {
        Result result = cli.run("--server", server.baseUrl(), "login");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required parameter: '<email>'");
    }
}
