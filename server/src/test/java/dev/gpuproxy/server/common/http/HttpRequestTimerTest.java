package dev.gpuproxy.server.common.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.SqliteProfile;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The REST API's requests are timed in {@code http_server_requests_seconds} as Micrometer's HTTP server binder timed
 * them, and the data plane's are not timed at all: no hook of the HTTP server runs per request.
 */
@QuarkusTest
@TestProfile(SqliteProfile.class)
class HttpRequestTimerTest {

    @Inject
    MeterRegistry registry;

    @TestHTTPResource("/")
    URL url;

    @Test
    void aRestRequestIsTimedUnderItsPathTemplate() {
        Api.Account admin = Api.admin();
        long before = count("GET", "/api/v1/admin/users/{id}", "200");
        admin.asUser().get("/api/v1/admin/users/" + admin.id()).then().statusCode(200);
        admin.asUser().get("/api/v1/admin/users/" + admin.id()).then().statusCode(200);
        // The count is taken when the response has ended on the server, which may be just after the client read it.
        await().untilAsserted(() -> assertThat(count("GET", "/api/v1/admin/users/{id}", "200")).isEqualTo(before + 2));
        assertThat(uris()).noneMatch(uri -> uri.equals("/api/v1/admin/users/" + admin.id()));
    }

    @Test
    void aPathNobodyServesIsCountedAsNotFoundNeverByItsName() {
        String path = "/no-such-" + UUID.randomUUID();
        long before = count("GET", "NOT_FOUND", "404");
        given().get(path).then().statusCode(404);
        await().untilAsserted(() -> assertThat(count("GET", "NOT_FOUND", "404")).isEqualTo(before + 1));
        assertThat(uris()).noneMatch(uri -> uri.contains(path));
    }

    @Test
    void theDataPlaneIsNotTimedAndTheServerHasNoPerRequestHooks() {
        given().contentType("application/json").body("{}").post("/v1/chat/completions").then().statusCode(401);
        given().get("/v1/models").then().statusCode(401);
        given().get("/v2/health/ready").then().statusCode(401);
        assertThat(uris()).noneMatch(uri -> uri.startsWith("/v1") || uri.startsWith("/v2") || uri.startsWith("/mcp"));
        // What Micrometer's binder registers for the server it hooks: neither may exist.
        assertThat(registry.find("http.server.active.requests").meter()).isNull();
        assertThat(registry.find("http.server.bytes.read").meter()).isNull();
    }

    @Test
    void aWebSocketUpgradeIsAConnectionNotATimedRequest() throws Exception {
        long before = total();
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: " + url.getHost() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).startsWith("HTTP/1.1 ");
        }
        // A request that is timed, after it: once it is counted, the handshake would have been too.
        given().get("/health").then().statusCode(200);
        await().untilAsserted(() -> assertThat(total()).isGreaterThan(before));
        assertThat(total()).isEqualTo(before + 1);
        assertThat(uris()).doesNotContain("/ws");
    }

    @Test
    void theUriTagIsATemplateOrALabelThatCannotGrowWithClientPaths() {
        assertThat(HttpRequestTimer.uri("/api/v1/admin/users/7", "/api/v1/admin/users/{id}", 200))
                .isEqualTo("/api/v1/admin/users/{id}");
        assertThat(HttpRequestTimer.uri("/api/v1/keys/", "/api/v1/keys/", 200)).isEqualTo("/api/v1/keys");
        assertThat(HttpRequestTimer.uri("/", null, 200)).isEqualTo("root");
        assertThat(HttpRequestTimer.uri("/admin/app.js", null, 200)).isEqualTo("/admin/app.js");
        assertThat(HttpRequestTimer.uri("/admin", null, 302)).isEqualTo("REDIRECTION");
        assertThat(HttpRequestTimer.uri("/made/up/7", null, 404)).isEqualTo("NOT_FOUND");
        assertThat(HttpRequestTimer.uri("/made/up/7", null, 401)).isEqualTo("UNKNOWN");
        // A Vert.x route with parameters stands for every path it matches (the pass-through's wildcard included).
        assertThat(HttpRequestTimer.uri("/proxy/7/any/path", HttpRequestTimer.templateOf("/proxy/:instanceId/"), 200))
                .isEqualTo("/proxy/{instanceId}");
        assertThat(HttpRequestTimer.templateOf("/mcp/:pool")).isEqualTo("/mcp/{pool}");
    }

    @Test
    void onlyTheDataPlanesRootsAreLeftUntimed() {
        assertThat(HttpRequestTimer.isDataPlane("/v1/chat/completions")).isTrue();
        assertThat(HttpRequestTimer.isDataPlane("/v2")).isTrue();
        assertThat(HttpRequestTimer.isDataPlane("/v2/models/m/infer")).isTrue();
        assertThat(HttpRequestTimer.isDataPlane("/mcp")).isTrue();
        assertThat(HttpRequestTimer.isDataPlane("/api/v1/user/me")).isFalse();
        assertThat(HttpRequestTimer.isDataPlane("/v2x")).isFalse();
        assertThat(HttpRequestTimer.isDataPlane("/mcpx/tools")).isFalse();
    }

    private long count(String method, String uri, String status) {
        Timer timer = registry.find(HttpRequestTimer.METRIC).tag("method", method).tag("uri", uri).tag("status", status)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private long total() {
        return registry.find(HttpRequestTimer.METRIC).timers().stream().mapToLong(Timer::count).sum();
    }

    private java.util.List<String> uris() {
        return registry.find(HttpRequestTimer.METRIC).meters().stream().map(Meter::getId)
                .map(id -> id.getTag("uri")).toList();
    }
}
