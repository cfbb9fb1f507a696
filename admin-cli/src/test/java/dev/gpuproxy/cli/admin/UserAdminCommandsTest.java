package dev.gpuproxy.cli.admin;

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

/** The admin commands that go over REST, against a stand-in speaking the identity API's wire format. */
class UserAdminCommandsTest {

    @TempDir
    Path home;

    private IdentityStub server;
    private CliRunner cli;
    private long bob;
    private String bobKey;

    @BeforeEach
    void start() {
        server = new IdentityStub();
        long root = server.addUser("root@example.com", "root-password", "Root", "admin");
        bob = server.addUser("bob@example.com", "bob-password", "Bob Builder", "user");
        server.addUser("carol@other.org", "carol-password", "Carol", "user");
        bobKey = server.addKey(bob, "bob-laptop");
        cli = new CliRunner(AdminCommand::new, home).env("GPUPROXY_URL", server.baseUrl())
                .env("GPUPROXY_API_KEY", server.addKey(root, "ops"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void usersPrintsATableOfEveryUser() {
        Result result = cli.run("users");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +EMAIL +NAME +ROLE +ACTIVE +RATE/MIN +CREATED");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).contains(String.valueOf(bob), "bob@example.com", "Bob Builder", "user", "true",
                "100");
    }

    @Test
    void usersSearchAndPagingGoToTheServerAndTheNextPageIsPointedOut() {
        Result result = cli.run("users", "--search", "example.com", "--limit", "1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(server.lastRequest("GET", "/api/v1/admin/users").query())
                .isEqualTo("search=example.com&limit=1");
        assertThat(result.out().lines()).hasSize(2);
        assertThat(result.err()).isEqualTo("Users 1-1 of 2; use --offset 1 for the next page.\n");
    }

    @Test
    void usersJsonIsTheServersPage() {
        Result result = cli.run("users", "--format", "json", "--search", "other.org");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode page = result.json();
        assertThat(page.path("total").asInt()).isEqualTo(1);
        assertThat(page.path("data").get(0).path("email").asText()).isEqualTo("carol@other.org");
    }

    @Test
    void aNonAdminKeyGetsTheServersRefusal() {
        Result result = cli.run("users", "--api-key", bobKey);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(
                "gpuproxy-admin: error: This endpoint requires the admin role (use --verbose for details)\n");
    }

    @Test
    void withoutAKeyItSaysHowToGetAnAdminKey() {
        Result result = new CliRunner(AdminCommand::new, home).env("GPUPROXY_URL", server.baseUrl()).run("users");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("no API key for " + server.baseUrl(), "an admin's API key");
    }

    @Test
    void createUserTakesThePasswordAsAnArgument() {
        Result result = cli.run("create-user", "dave@example.com", "dave-password-1", "Dave Doe");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode sent = server.lastRequest("POST", "/api/v1/admin/users").json();
        assertThat(sent.path("email").asText()).isEqualTo("dave@example.com");
        assertThat(sent.path("password").asText()).isEqualTo("dave-password-1");
        assertThat(sent.path("name").asText()).isEqualTo("Dave Doe");
        assertThat(sent.has("role")).isFalse();
        assertThat(result.out()).contains("Email:", "dave@example.com", "Name:", "Dave Doe", "Role:", "user")
                .doesNotContain("dave-password-1");
    }

    @Test
    void createUserReadsThePasswordFromStandardInputForADashOrWhenLeftOut() {
        Result dash = cli.runWithStdin("erin-password-1\n", "create-user", "erin@example.com", "-", "Erin",
                "--role", "admin", "--format", "json");
        Result omitted = cli.runWithStdin("frank-password-1\n", "create-user", "frank@example.com", "Frank");

        assertThat(dash.exitCode()).as(dash.toString()).isZero();
        assertThat(dash.json().path("role").asText()).isEqualTo("admin");
        assertThat(omitted.exitCode()).as(omitted.toString()).isZero();
        JsonNode sent = server.lastRequest("POST", "/api/v1/admin/users").json();
        assertThat(sent.path("password").asText()).isEqualTo("frank-password-1");
        assertThat(sent.path("name").asText()).isEqualTo("Frank");
        assertThat(dash.out() + dash.err() + omitted.out() + omitted.err())
                .doesNotContain("erin-password-1", "frank-password-1");
    }

    @Test
    void createUserUsageErrorsExitTwoWithoutCallingTheServer() {
        Result noPassword = cli.run("create-user", "gina@example.com", "Gina");
        Result notAnEmail = cli.run("create-user", "Gina", "password-123", "gina@example.com");
        Result tooMany = cli.run("create-user", "gina@example.com", "password-123", "Gina", "extra");
        Result badRole = cli.run("create-user", "gina@example.com", "password-123", "Gina", "--role", "root");

        assertThat(List.of(noPassword, notAnEmail, tooMany, badRole)).allSatisfy(
                result -> assertThat(result.exitCode()).as(result.toString()).isEqualTo(2));
        assertThat(noPassword.err()).contains("no password given");
        assertThat(notAnEmail.err()).contains("'Gina' is not an email address");
        assertThat(tooMany.err()).contains("extra");
        assertThat(badRole.err()).contains("--role must be user or admin (got 'root')");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void createUserPrintsTheServersDetailWhenTheEmailIsTaken() {
        Result result = cli.run("create-user", "bob@example.com", "password-123", "Bob Again");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("error: A user with email bob@example.com already exists");
    }

    @Test
    void makeAdminFindsTheUserByEmailAndPromotesThem() {
        Result result = cli.run("make-admin", "BOB@example.com");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("bob@example.com is now admin.\n");
        assertThat(server.lastRequest("POST", "/api/v1/admin/users/" + bob + "/admin")).isNotNull();
        assertThat(server.lastRequest("GET", "/api/v1/admin/users").query()).contains("search=BOB%40example.com");
    }

    @Test
    void anUnknownEmailIsAnError() {
        Result result = cli.run("make-admin", "nobody@example.com");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(
                "gpuproxy-admin: error: no user with email nobody@example.com (use --verbose for details)\n");
    }

    @Test
    void createApikeyCreatesAKeyForThatUserAndPrintsItOnce() {
        Result result = cli.run("create-apikey", "bob@example.com", "batch-jobs", "--format", "json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode created = result.json();
        assertThat(created.path("name").asText()).isEqualTo("batch-jobs");
        assertThat(server.keysOf(bob)).extracting(key -> key.path("prefix").asText())
                .contains(created.path("prefix").asText());
        Result whoami = new CliRunner(AdminCommand::new, home).run("users", "--server", server.baseUrl(),
                "--api-key", created.path("api_key").asText());
        assertThat(whoami.err()).as("the new key authenticates as bob, who is no admin")
                .contains("requires the admin role");
        assertThat(result.err()).contains("Store this key now");
    }

    @Test
    void createApikeyPassesAnExpiryAndRejectsAMalformedOne() {
        Result created = cli.run("create-apikey", "bob@example.com", "trial", "--expires-at", "2030-01-01T00:00:00Z");
        Result malformed = cli.run("create-apikey", "bob@example.com", "trial", "--expires-at", "2030-01-01");

        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).containsPattern("Expires: +2030-01-01T00:00:00Z\n");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("--expires-at must be an ISO-8601 instant", "'2030-01-01'");
    }

    @Test
    void usageShowsTheServersFiguresWithReadableLabels() {
        Result text = cli.run("usage", "bob@example.com");
        Result json = cli.run("usage", "bob@example.com", "--format", "json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).containsPattern("Email: +bob@example.com\n")
                .containsPattern("User ID: +" + bob + "\n").containsPattern("Requests: +1234\n")
                .containsPattern("Tokens in: +56000\n").containsPattern("GPU seconds: +3600\n")
                .containsPattern("Credits: +12.345678\n").containsPattern("Last at: +2026-01-03T04:05:06Z\n");
        assertThat(json.json().path("tokens_out").asLong()).isEqualTo(78000);
        assertThat(json.json().path("credits_micros").asLong()).isEqualTo(12_345_678L);
    }
}
