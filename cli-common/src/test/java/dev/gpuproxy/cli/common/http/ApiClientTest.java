package dev.gpuproxy.cli.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.CliException;
import dev.gpuproxy.cli.common.ExitCodes;
import dev.gpuproxy.cli.common.testing.IdentityStub;
import dev.gpuproxy.cli.common.testing.Ports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiClientTest {

    private IdentityStub stub;
    private String key;

    @BeforeEach
    void start() {
        stub = new IdentityStub();
        key = stub.addKey(stub.addUser("alice@example.com", "password-1", "Alice", "user"), "tests");
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void sendsTheApiKeyAndJsonAndReturnsTheServersJson() {
        JsonNode created = client(Credential.apiKey(key)).post("/api/v1/auth/apikey",
                ApiClient.body("name", "laptop", "expires_at", null));

        assertThat(created.path("name").asText()).isEqualTo("laptop");
        IdentityStub.Request sent = stub.lastRequest("POST", "/api/v1/auth/apikey");
        assertThat(sent.headers()).containsEntry("x-api-key", key).containsEntry("content-type", "application/json")
                .containsEntry("user-agent", "test-tool/1");
        assertThat(sent.json().has("expires_at")).as("null optional fields are left out").isFalse();
    }

    @Test
    void problemDetailsBecomeAnExceptionCarryingTheDetail() {
        assertThatThrownBy(() -> client(Credential.apiKey(key)).delete("/api/v1/auth/apikeys/999"))
                .isInstanceOfSatisfying(ApiException.class, problem -> {
                    assertThat(problem.getMessage()).isEqualTo("API key 999 not found");
                    assertThat(problem.status()).isEqualTo(404);
                    assertThat(problem.code()).contains("not_found");
                    assertThat(problem.exitCode()).isEqualTo(ExitCodes.ERROR);
                    assertThat(problem.summary()).isEqualTo(
                            "HTTP 404 Not Found, code not_found, type https://gpuproxy.dev/problems/not-found");
                });
    }

    @Test
    void openAiStyleErrorsGiveTheirMessage() {
        stub.override("GET", "/v1/models", 401, "application/json",
                "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"invalid_api_key\"}}");

        assertThatThrownBy(() -> client(null).get("/v1/models"))
                .isInstanceOfSatisfying(ApiException.class, problem -> {
                    assertThat(problem.getMessage()).isEqualTo("Incorrect API key provided");
                    assertThat(problem.code()).contains("invalid_api_key");
                });
    }

    @Test
    void unavailableAndRateLimitedAnswersExitWithThree() {
        stub.override("GET", "/api/v1/user/me", 503, "application/problem+json",
                "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"database is down\"}");
        stub.override("GET", "/api/v1/auth/apikeys", 429, "text/plain", "slow down");

        assertThatThrownBy(() -> client(Credential.apiKey(key)).get("/api/v1/user/me"))
                .isInstanceOfSatisfying(ApiException.class, problem -> {
                    assertThat(problem.getMessage()).isEqualTo("database is down");
                    assertThat(problem.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
                });
        assertThatThrownBy(() -> client(Credential.apiKey(key)).get("/api/v1/auth/apikeys"))
                .isInstanceOfSatisfying(ApiException.class, problem -> {
                    assertThat(problem.getMessage()).isEqualTo("the server answered 429 to GET /api/v1/auth/apikeys");
                    assertThat(problem.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
                });
    }

    @Test
    void aClosedPortIsServerUnavailable() {
        URI closed = URI.create("http://127.0.0.1:" + Ports.closedPort());

        assertThatThrownBy(() -> new ApiClient(closed, null, null, "test-tool/1").get("/health"))
                .isInstanceOfSatisfying(ServerUnavailableException.class,
                        error -> assertThat(error.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE))
                .hasMessageContaining("cannot connect to the server at " + closed)
                .hasMessageContaining("connection refused");
    }

    @Test
    void aSuccessfulAnswerThatIsNotJsonIsAnError() {
        stub.override("GET", "/api/v1/user/me", 200, "text/html", "<html>welcome to nginx</html>");

        assertThatThrownBy(() -> client(Credential.apiKey(key)).get("/api/v1/user/me"))
                .isInstanceOf(CliException.class).isNotInstanceOf(ApiException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void queryValuesAndPathSegmentsAreEncoded() {
        String adminKey = stub.addKey(stub.addUser("root@example.com", "password-2", "Root", "admin"), "admin");

        client(Credential.apiKey(adminKey)).get("/api/v1/admin/users",
                ApiClient.body("search", "a+b@example.com", "limit", 5, "offset", null));

        assertThat(stub.lastRequest("GET", "/api/v1/admin/users").query())
                .isEqualTo("search=a%2Bb%40example.com&limit=5");
        assertThat(ApiClient.segment("a b/c")).isEqualTo("a%20b%2Fc");
    }

    @Test
    void debugTraceShowsExchangesWithTheKeyMasked() {
        StringWriter log = new StringWriter();
        new ApiClient(URI.create(stub.baseUrl()), Credential.apiKey(key), new HttpTrace(new PrintWriter(log)),
                "test-tool/1").get("/api/v1/user/me");

        assertThat(log.toString()).contains("> GET " + stub.baseUrl() + "/api/v1/user/me",
                "> X-API-Key: " + key.substring(0, key.lastIndexOf('_') + 1) + "…", "< 200 (");
        assertThat(log.toString()).doesNotContain(key);
    }

    private ApiClient client(Credential credential) {
        return new ApiClient(URI.create(stub.baseUrl()), credential, null, "test-tool/1");
    }
}
