package dev.gpuproxy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.cli.common.CliConfig;
import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import dev.gpuproxy.cli.common.testing.IdentityStub;
import dev.gpuproxy.cli.common.testing.Ports;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhoamiCommandTest {

    @TempDir
    Path home;

    private IdentityStub server;
    private CliRunner cli;
    private String key;

    @BeforeEach
    void start() {
        server = new IdentityStub();
        key = server.addKey(server.addUser("alice@example.com", "password-1", "Alice Smith", "user"), "laptop");
        cli = new CliRunner(ClientCommand::new, home);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void showsTheAccountOfTheKeyFromTheEnvironment() {
        cli.env("GPUPROXY_URL", server.baseUrl()).env("GPUPROXY_API_KEY", key);

        Result result = cli.run("whoami");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Email:", "alice@example.com", "Name:", "Alice Smith", "Role:", "user",
                "Rate limit/min:", "100");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void jsonOutputIsTheServersUserObject() {
        Result result = cli.run("whoami", "--server", server.baseUrl(), "--api-key", key, "--format", "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("email").asText()).isEqualTo("alice@example.com");
        assertThat(result.json().path("rate_limit_per_minute").asInt()).isEqualTo(100);
        assertThat(result.json().path("active").asBoolean()).isTrue();
    }

    @Test
    void theSeedsShortKeyOptionIsAccepted() {
        Result result = cli.run("whoami", "--server", server.baseUrl(), "-key", key);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/user/me").headers()).containsEntry("x-api-key", key);
    }

    @Test
    void withoutAKeyItSaysHowToGetOne() {
        Result result = cli.run("--server", server.baseUrl(), "whoami");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("gpuproxy-client: error: no API key for " + server.baseUrl(),
                "gpuproxy-client login <email>", "GPUPROXY_API_KEY");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aKeyStoredForOneServerIsNeverSentToAnother() {
        CliConfig.load(cli.configFile()).saveLogin("http://127.0.0.1:9", key);

        Result result = cli.run("--server", server.baseUrl(), "whoami");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aRefusedKeyPrintsTheProblemDetail() {
        Result result = cli.run("--server", server.baseUrl(), "--api-key", "gpx_deadbeef_nope", "whoami");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("gpuproxy-client: error: Invalid API key (use --verbose for details)\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void verboseAddsStatusCodeAndStackTrace() {
        Result result = cli.run("--server", server.baseUrl(), "--api-key", "gpx_deadbeef_nope", "whoami", "-x");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("gpuproxy-client: error: Invalid API key\n")
                .contains("HTTP 401 Unauthorized, code invalid_api_key", "ApiException", "\tat ");
        assertThat(result.err()).doesNotContain("use --verbose");
    }

    @Test
    void serverDownExitsThreeWithAClearMessage() {
        String down = "http://127.0.0.1:" + Ports.closedPort();

        Result result = cli.run("--server", down, "--api-key", key, "whoami");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).isEqualTo("gpuproxy-client: error: cannot connect to the server at " + down
                + " (connection refused); is gpuproxyd running there? Use --server or GPUPROXY_URL to choose another"
                + " (use --verbose for details)\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void serverUnavailableAnswerExitsThree() {
        server.override("GET", "/api/v1/user/me", 503, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                        + "\"detail\":\"database unavailable\",\"code\":\"unavailable\"}");

        Result result = cli.run("--server", server.baseUrl(), "--api-key", key, "whoami");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("error: database unavailable");
    }

    @Test
    void debugModeLogsTheExchangeOnStderrWithTheKeyMasked() {
        Result result = cli.run("--server", server.baseUrl(), "--api-key", key, "-dm", "whoami", "--format", "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.err()).contains("> GET " + server.baseUrl() + "/api/v1/user/me", "> X-API-Key: gpx_",
                "< 200 (");
        assertThat(result.err() + result.out()).doesNotContain(key);
        assertThat(result.json().path("email").asText()).as("stdout stays pure JSON").isEqualTo("alice@example.com");
    }
}
