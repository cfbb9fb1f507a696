package dev.gpuproxy.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import dev.gpuproxy.cli.common.testing.IdentityStub;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {

    @TempDir
    Path home;

    private IdentityStub server;
    private CliRunner cli;
    private long alice;
    private String key;

    @BeforeEach
    void start() {
        server = new IdentityStub();
        alice = server.addUser("alice@example.com", "password-1", "Alice", "user");
        key = server.addKey(alice, "laptop");
        cli = new CliRunner(ClientCommand::new, home).env("GPUPROXY_URL", server.baseUrl())
                .env("GPUPROXY_API_KEY", key);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createPrintsTheNewKeyOnceAndRemindsOnStderrToStoreIt() {
        Result result = cli.run("keys", "create", "ci-runner");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode created = server.keysOf(alice).get(1);
        assertThat(created.path("name").asText()).isEqualTo("ci-runner");
        assertThat(result.out()).containsPattern("API key: +gpx_" + created.path("prefix").asText() + "_[0-9a-f]{32}\n")
                .contains("Name:", "ci-runner", "Expires:", "never");
        assertThat(result.err()).contains("Store this key now");
    }

    @Test
    void createJsonParsesBackWithTheServersFieldNames() {
        Result result = cli.run("keys", "create", "ci-runner", "--expires-at", "2030-01-01T00:00:00Z", "--format",
                "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode json = result.json();
        assertThat(json.path("api_key").asText()).startsWith("gpx_" + json.path("prefix").asText() + "_");
        assertThat(json.path("expires_at").asText()).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(server.lastRequest("POST", "/api/v1/auth/apikey").json().path("expires_at").asText())
                .isEqualTo("2030-01-01T00:00:00Z");
    }

    @Test
    void anExpiryThatIsNotAnInstantIsAUsageError() {
        Result result = cli.run("keys", "create", "ci-runner", "--expires-at", "next tuesday");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--expires-at must be an ISO-8601 instant", "'next tuesday'");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void listShowsEachKeyByPrefixWithItsStatusAndNoSecret() {
        cli.run("keys", "create", "old-box");
        String oldId = server.keysOf(alice).get(1).path("id").asText();
        assertThat(cli.run("keys", "revoke", oldId).exitCode()).isZero();

        Result result = cli.run("keys", "list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("ID +NAME +PREFIX +STATUS +CREATED +LAST USED +EXPIRES");
        assertThat(lines.get(1)).contains("laptop", server.keysOf(alice).get(0).path("prefix").asText(), "active");
        assertThat(lines.get(2)).startsWith(oldId).contains("old-box", "revoked", "never");
        assertThat(result.out()).doesNotContain(key);
    }

    @Test
    void listJsonIsTheServersPage() {
        Result result = cli.run("keys", "list", "--format", "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("data")).hasSize(1);
        assertThat(result.json().path("data").get(0).path("name").asText()).isEqualTo("laptop");
    }

    @Test
    void aRevokedKeyStopsWorking() {
        String spare = server.addKey(alice, "spare");
        String spareId = server.keysOf(alice).get(1).path("id").asText();

        Result revoked = cli.run("keys", "revoke", spareId);
        Result withSpare = cli.run("whoami", "--api-key", spare);

        assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
        assertThat(revoked.out()).isEqualTo("Revoked API key " + spareId + ".\n");
        assertThat(withSpare.exitCode()).isEqualTo(1);
        assertThat(withSpare.err()).contains("This API key was revoked");
    }

    @Test
    void revokingAnUnknownKeyPrintsTheProblemDetail() {
        Result result = cli.run("keys", "revoke", "999");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .isEqualTo("gpuproxy-client: error: API key 999 not found (use --verbose for details)\n");
    }

    @Test
    void keysWithoutASubcommandListsTheChoices() {
        Result result = cli.run("keys");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("missing command: choose one of create, list, revoke",
                "Usage: gpuproxy-client keys");
    }
}
