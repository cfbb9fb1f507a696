package dev.gpuproxy.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.testing.CliRunner;
import dev.gpuproxy.cli.common.testing.CliRunner.Result;
import dev.gpuproxy.cli.common.testing.GpuproxyServer;
import dev.gpuproxy.cli.common.testing.Ports;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gpuproxy-admin's REST commands against a real gpuproxyd (the packaged server on SQLite), through the real Picocli
 * command line with the first admin's API key: users, keys, credits, usage, pools and backends.
 */
class AdminAgainstServerTest {

    private static GpuproxyServer server;
    private static String adminKey;

    @TempDir
    Path home;

    private CliRunner cli;

    @BeforeAll
    static void startServer() {
        server = GpuproxyServer.start();
        adminKey = server.adminKey();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void tool() {
        cli = new CliRunner(AdminCommand::new, home).env("GPUPROXY_URL", server.baseUrl())
                .env("GPUPROXY_API_KEY", adminKey);
    }

    @Test
    void createUserCreateApiKeyAndUsersWorkTogether() {
        String email = unique("dana");

        Result created = cli.runWithStdin("dana-password-1\n", "create-user", email, "-", "Dana Scully");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).containsPattern("Email: +" + email).containsPattern("Name: +Dana Scully")
                .containsPattern("Role: +user");

        Result key = cli.run("create-apikey", email, "ci-runner", "--format", "json");
        assertThat(key.exitCode()).as(key.toString()).isZero();
        String apiKey = key.json().path("api_key").asText();
        assertThat(apiKey).startsWith("gpx_");
        JsonNode me = server.call("GET", "/api/v1/user/me", apiKey, null);
        assertThat(me.path("email").asText()).isEqualTo(email);

        Result users = cli.run("users", "--search", email);
        assertThat(users.exitCode()).as(users.toString()).isZero();
        assertThat(users.out().lines().toList()).hasSize(2);
        assertThat(users.out().lines().skip(1).findFirst().orElseThrow()).contains(email, "Dana Scully", "user");

        Result all = cli.run("users", "--format", "json");
        assertThat(all.json().path("data").findValuesAsText("email"))
                .contains(GpuproxyServer.ADMIN_EMAIL, email);
    }

    @Test
    void creditsGrantBooksOneLedgerEntryPerIdempotencyKey() {
        String email = unique("erin");
        long id = createUser(email);

        Result first = cli.run("credits", "grant", email, "25.5", "--reason", "trial",
                "--idempotency-key", "grant-" + email);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).containsPattern("Kind: +grant").containsPattern("Amount: +25\\.500000")
                .containsPattern("Balance after: +25\\.500000").containsPattern("Reason: +trial");

        Result replay = cli.run("credits", "grant", email, "25.5", "--reason", "trial",
                "--idempotency-key", "grant-" + email, "--format", "json");
        assertThat(replay.exitCode()).as(replay.toString()).isZero();
        assertThat(replay.json().path("balance_after").decimalValue()).isEqualByComparingTo("25.5");

        Result second = cli.run("credits", "grant", email, "4.5", "--reason", "bonus");
        assertThat(second.exitCode()).as(second.toString()).isZero();

        JsonNode wallet = server.call("GET", "/api/v1/admin/users/" + id + "/credits", adminKey, null);
        assertThat(wallet.path("wallet").path("credits_remaining").decimalValue()).isEqualByComparingTo("30");
        assertThat(wallet.path("ledger").path("data")).hasSize(2);

        Result audit = cli.run("credits", "audit");
        assertThat(audit.exitCode()).as(audit.toString()).isZero();
        assertThat(audit.out()).containsPattern("Consistent: +true");
        JsonNode report = cli.run("credits", "audit", "--format", "json").json();
        assertThat(report.path("wallets_checked").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(report.path("mismatches")).isEmpty();
    }

    @Test
    void statsCountWhatTheServerHolds() {
        JsonNode before = cli.run("stats", "--format", "json").json();
        String email = unique("stella");
        createUser(email);
        Result grant = cli.run("credits", "grant", email, "7", "--reason", "stats");
        assertThat(grant.exitCode()).as(grant.toString()).isZero();

        JsonNode after = cli.run("stats", "--format", "json").json();
        assertThat(after.path("users").path("total").asLong()).isEqualTo(before.path("users").path("total").asLong() + 1);
        assertThat(after.path("credits").path("granted").decimalValue())
                .isEqualByComparingTo(before.path("credits").path("granted").decimalValue().add(new java.math.BigDecimal("7")));
        Result text = cli.run("stats");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).containsPattern("Users: +" + after.path("users").path("total").asLong())
                .contains("Credits granted");
    }

    @Test
    void creditsGrantRefusesANegativeGrantAndAMissingReasonBeforeAnyRequest() {
        cli.env("GPUPROXY_URL", "http://127.0.0.1:" + Ports.closedPort());

        Result negative = cli.run("credits", "grant", "a@example.com", "--", "-5", "--reason", "oops");
        assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(2);

        Result noReason = cli.run("credits", "grant", "a@example.com", "5");
        assertThat(noReason.exitCode()).isEqualTo(2);
        assertThat(noReason.err()).contains("Missing required option: '--reason=<text>'");
    }

    @Test
    void usageShowsTheUsersTotals() {
        String email = unique("frank");
        createUser(email);

        Result usage = cli.run("usage", email);
        assertThat(usage.exitCode()).as(usage.toString()).isZero();
        assertThat(usage.out()).containsPattern("Email: +" + email);

        Result json = cli.run("usage", email, "--format", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.json().isObject()).isTrue();
    }

    @Test
    void poolsAndBackendsAreAddedListedAndRemoved() {
        Result pool = cli.run("pools", "add", "llama-test", "--strategy", "least_connections",
                "--alias", "meta/llama-test");
        assertThat(pool.exitCode()).as(pool.toString()).isZero();
        assertThat(pool.out()).containsPattern("llama-test +least_connections +0 +meta/llama-test +api");

        Result backend = cli.runWithStdin("sk-secret-key-0001\n", "backends", "add", "llama-test", "openai",
                "http://127.0.0.1:9/v1", "--weight", "2", "--keys-from-stdin", "--format", "json");
        assertThat(backend.exitCode()).as(backend.toString()).isZero();
        JsonNode added = backend.json();
        assertThat(added.path("pool").asText()).isEqualTo("llama-test");
        assertThat(added.path("weight").asDouble()).isEqualTo(2.0);
        assertThat(backend.out()).doesNotContain("sk-secret-key-0001");
        long backendId = added.path("id").asLong();

        Result backends = cli.run("backends", "list", "--pool", "llama-test");
        assertThat(backends.exitCode()).as(backends.toString()).isZero();
        List<String> lines = backends.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +POOL +KIND +URL +WEIGHT +IN FLIGHT +REQUESTS +ERRORS +LATENCY MS"
                + " +STATE +KEYS");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).matches(backendId + " +llama-test +openai +http://127\\.0\\.0\\.1:9/v1 +2 +0 +0 +0"
                + " +\\S+ +ok +1");

        Result pools = cli.run("pools", "list");
        assertThat(pools.out()).containsPattern("llama-test +least_connections +1 ");

        Result removed = cli.run("backends", "remove", String.valueOf(backendId));
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(cli.run("backends", "list", "--pool", "llama-test", "--format", "json").json().path("data"))
                .isEmpty();

        Result poolRemoved = cli.run("pools", "remove", "llama-test");
        assertThat(poolRemoved.exitCode()).as(poolRemoved.toString()).isZero();
        assertThat(cli.run("pools", "list", "--format", "json").json().path("data").findValuesAsText("name"))
                .doesNotContain("llama-test");

        Result again = cli.run("pools", "remove", "llama-test");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("no pool named 'llama-test'");
    }

    @Test
    void aNonAdminKeyIsRefusedByTheServer() {
        String email = unique("gina");
        createUser(email);
        cli.env("GPUPROXY_API_KEY", server.apiKey(email, "password-of-" + email));

        Result result = cli.run("credits", "audit");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("gpuproxy-admin: error: ");
    }

    @Test
    void aServerThatIsDownExitsThree() {
        int closed = Ports.closedPort();
        cli.env("GPUPROXY_URL", "http://127.0.0.1:" + closed);

        Result result = cli.run("credits", "grant", "a@example.com", "5", "--reason", "x");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("cannot connect to the server at http://127.0.0.1:" + closed);
    }

    private static String unique(String name) {
        return name + "-" + System.nanoTime() + "@example.com";
    }

    private static long createUser(String email) {
        JsonNode created = server.call("POST", "/api/v1/admin/users", adminKey, "{\"email\":\"" + email
                + "\",\"password\":\"password-of-" + email + "\",\"name\":\"Test\"}");
        return (created.has("user") ? created.get("user") : created).path("id").asLong();
    }
}
