package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.McpServerStub;
import dev.gpuproxy.server.gateway.route.McpRoutes;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MCP Streamable HTTP gateway, driven by the official MCP Java SDK client and by raw HTTP where the SDK cannot. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class McpGatewayTest {

    static final McpServerStub A = new McpServerStub("stub-a");
    static final McpServerStub B = new McpServerStub("stub-b");
    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
             "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    @Inject
    CreditService credits;

    private final HttpClient http = HttpClient.newHttpClient();
    private Api.Account admin;
    private Api.Account tenant;
    private String key;

    @BeforeEach
    void setUp() {
        A.received().clear();
        B.received().clear();
        admin = Api.admin();
        tenant = Api.registerAndLogin("mcp");
        key = Api.createApiKey(tenant, "mcp");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
    }

    @AfterAll
    static void stop() {
        A.close();
        B.close();
    }

    /** A global pool of MCP backends; returns its name. */
    private String pool(McpServerStub... servers) {
        String name = "tools-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", name, "strategy", "round_robin"))
                .post("/api/v1/admin/pools").then().statusCode(201);
        for (McpServerStub server : servers) {
            admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", name, "kind", "mcp", "url", server.url()))
                    .post("/api/v1/admin/backends").then().statusCode(201);
        }
        return name;
    }

    private String gateway() {
        return "http://127.0.0.1:" + RestAssured.port;
    }

    private McpSyncClient sdkClient(String endpoint, String apiKey, List<McpSchema.LoggingMessageNotification> logs,
                                    List<McpSchema.ProgressNotification> progress) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(gateway())
                .endpoint(endpoint)
                .httpRequestCustomizer((request, method, uri, body, context) ->
                        request.header("Authorization", "Bearer " + apiKey))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10))
                .loggingConsumer(logs::add).progressConsumer(progress::add).build();
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    void theSdkClientListsAndCallsToolsThroughTheGateway() {
        String pool = pool(A);
        try (McpSyncClient client = sdkClient("/mcp/" + pool, key, new ArrayList<>(), new ArrayList<>())) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("stub-a");
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .containsExactly("whoami", "countdown");
            assertThat(text(client.callTool(new McpSchema.CallToolRequest("whoami", Map.of())))).isEqualTo("stub-a");
        }
        McpServerStub.Received call = A.received().stream()
                .filter(r -> "tools/call".equals(r.rpcMethod())).findFirst().orElseThrow();
        // The backend sees its own session id and the negotiated version, never the tenant's gpuproxy key.
        assertThat(A.issuedSessions()).contains(call.header("Mcp-Session-Id"));
        assertThat(call.header("MCP-Protocol-Version")).isNotBlank();
        assertThat(call.headers().toString()).doesNotContain(key);
    }

    @Test
    void notificationsStreamThroughAsTheToolRuns() {
        String pool = pool(A);
        List<McpSchema.LoggingMessageNotification> logs = new CopyOnWriteArrayList<>();
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        try (McpSyncClient client = sdkClient("/mcp/" + pool, key, logs, progress)) {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("countdown",
                    Map.of("n", 4), Map.of("progressToken", "tok-1")));
            assertThat(text(result)).isEqualTo("stub-a finished");
        }
        // The sync SDK client hands each notification to its consumer on a worker pool, so the consumers may see
        // them out of order even though the stream carried them in order: check that every one arrived.
        assertThat(logs).extracting(McpSchema.LoggingMessageNotification::data).filteredOn(data -> data.contains("counts"))
                .containsExactlyInAnyOrder("stub-a counts 4", "stub-a counts 3", "stub-a counts 2", "stub-a counts 1");
        assertThat(progress).extracting(McpSchema.ProgressNotification::progress)
                .containsExactlyInAnyOrder(1.0, 2.0, 3.0, 4.0);
    }

    @Test
    void aSessionStaysOnTheBackendThatIssuedIt() {
        String pool = pool(A, B);
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            try (McpSyncClient client = sdkClient("/mcp/" + pool, key, new ArrayList<>(), new ArrayList<>())) {
                String initializedBy = client.initialize().serverInfo().name();
                servedBy.add(initializedBy);
                for (int call = 0; call < 3; call++) {
                    assertThat(text(client.callTool(new McpSchema.CallToolRequest("whoami", Map.of()))))
                            .as("every call of a session reaches the server that initialized it")
                            .isEqualTo(initializedBy);
                }
            }
        }
        assertThat(servedBy).as("new sessions are still balanced").containsExactlyInAnyOrder("stub-a", "stub-b");
    }

    @Test
    void aSessionWhoseBackendIsGoneGets404AndANewSessionWorks() throws Exception {
        String pool = pool(A);
        HttpResponse<String> init = post("/mcp/" + pool, INITIALIZE, Map.of());
        assertThat(init.statusCode()).isEqualTo(200);
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(session).startsWith("gpx1.");
        assertThat(A.issuedSessions()).doesNotContain(session); // the client sees a sealed id, not the backend's

        long backendId = admin.asUser().get("/api/v1/admin/backends").jsonPath()
                .getLong("data.find { it.url == '" + A.url() + "' && it.pool == '" + pool + "' }.id");
        admin.asUser().delete("/api/v1/admin/backends/" + backendId).then().statusCode(204);
        HttpResponse<String> orphan = post("/mcp/" + pool, toolsList(2), Map.of("Mcp-Session-Id", session));
        assertThat(orphan.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(orphan.body()).getJsonObject("error").getString("message")).contains("initialize");

        admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", pool, "kind", "mcp", "url", B.url()))
                .post("/api/v1/admin/backends").then().statusCode(201);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                post("/mcp/" + pool, INITIALIZE, Map.of()).statusCode() == 200);
        try (McpSyncClient client = sdkClient("/mcp/" + pool, key, new ArrayList<>(), new ArrayList<>())) {
            assertThat(client.initialize().serverInfo().name()).isEqualTo("stub-b");
        }
    }

    @Test
    void anotherTenantsOrAForgedSessionIdIsNotFound() throws Exception {
        String pool = pool(A);
        String session = post("/mcp/" + pool, INITIALIZE, Map.of()).headers().firstValue("Mcp-Session-Id")
                .orElseThrow();
        Api.Account other = Api.registerAndLogin("mcp-other");
        String otherKey = Api.createApiKey(other, "mcp");
        credits.add(other.id(), CreditService.Kind.GRANT, Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
        HttpResponse<String> stolen = send(HttpRequest.newBuilder(URI.create(gateway() + "/mcp/" + pool))
                .header("Authorization", "Bearer " + otherKey).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString(toolsList(2))).build());
        assertThat(stolen.statusCode()).isEqualTo(404);
        String forged = session.substring(0, session.length() - 4) + "AAAA";
        assertThat(post("/mcp/" + pool, toolsList(3), Map.of("Mcp-Session-Id", forged)).statusCode()).isEqualTo(404);
        assertThat(post("/mcp/" + pool, toolsList(4), Map.of("Mcp-Session-Id", session)).statusCode()).isEqualTo(200);
    }

    @Test
    void statusCodesOfTheServerComeBackUnchanged() throws Exception {
        String pool = pool(A);
        // A request without a session on the session protocol: the server's 400.
        HttpResponse<String> noSession = post("/mcp/" + pool, toolsList(1), Map.of());
        assertThat(noSession.statusCode()).isEqualTo(400);
        assertThat(noSession.body()).contains("Mcp-Session-Id required");
        String session = post("/mcp/" + pool, INITIALIZE, Map.of()).headers().firstValue("Mcp-Session-Id")
                .orElseThrow();
        // A notification: 202 without a body.
        HttpResponse<String> notification = post("/mcp/" + pool,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Map.of("Mcp-Session-Id", session));
        assertThat(notification.statusCode()).isEqualTo(202);
        assertThat(notification.body()).isEmpty();
        // DELETE ends the session at the backend; the same id is then the backend's 404.
        HttpResponse<String> deleted = send(authorized("/mcp/" + pool).header("Mcp-Session-Id", session).DELETE()
                .build());
        assertThat(deleted.statusCode()).isEqualTo(200);
        String backendSession = A.received().stream().filter(r -> r.method().equals("DELETE")).findFirst()
                .orElseThrow().header("Mcp-Session-Id");
        assertThat(A.issuedSessions()).contains(backendSession);
        assertThat(A.openSessions()).doesNotContain(backendSession);
        assertThat(post("/mcp/" + pool, toolsList(5), Map.of("Mcp-Session-Id", session)).statusCode()).isEqualTo(404);
        // The stateless protocol has no GET stream: the server's 405.
        HttpResponse<String> get = send(authorized("/mcp/" + pool).header("MCP-Protocol-Version", McpServerStub.STATELESS)
                .header("Accept", "text/event-stream").GET().build());
        assertThat(get.statusCode()).isEqualTo(405);
        // A method MCP does not have is the gateway's own 405.
        assertThat(send(authorized("/mcp/" + pool).PUT(HttpRequest.BodyPublishers.ofString("{}")).build())
                .statusCode()).isEqualTo(405);
    }

    @Test
    void theStatelessProtocolPassesItsHeadersAndNeedsNoSession() throws Exception {
        String pool = pool(A, B);
        Map<String, String> headers = Map.of("MCP-Protocol-Version", McpServerStub.STATELESS,
                "Mcp-Method", "tools/call", "Mcp-Name", "whoami", "Mcp-Param-Region", "eu-west");
        HttpResponse<String> discover = post("/mcp/" + pool,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\"}",
                Map.of("MCP-Protocol-Version", McpServerStub.STATELESS, "Mcp-Method", "server/discover"));
        assertThat(discover.statusCode()).isEqualTo(200);
        assertThat(discover.headers().firstValue("Mcp-Session-Id")).isEmpty();
        HttpResponse<String> call = post("/mcp/" + pool, """
                {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}""", headers);
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.body()).contains("(stateless, Mcp-Name=whoami)");
        McpServerStub.Received received = java.util.stream.Stream.concat(A.received().stream(), B.received().stream())
                .filter(r -> "tools/call".equals(r.rpcMethod())).findFirst().orElseThrow();
        assertThat(received.header("Mcp-Method")).isEqualTo("tools/call");
        assertThat(received.header("Mcp-Name")).isEqualTo("whoami");
        assertThat(received.header("Mcp-Param-Region")).isEqualTo("eu-west");
        assertThat(received.header("MCP-Protocol-Version")).isEqualTo(McpServerStub.STATELESS);
    }

    @Test
    void theServerStreamOfGetFlowsThroughWithLastEventId() throws Exception {
        String pool = pool(A);
        String session = post("/mcp/" + pool, INITIALIZE, Map.of()).headers().firstValue("Mcp-Session-Id")
                .orElseThrow();
        HttpResponse<java.io.InputStream> stream = http.send(authorized("/mcp/" + pool)
                .header("Mcp-Session-Id", session).header("Accept", "text/event-stream")
                .header("Last-Event-ID", "e7").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            // The first event arrives while the stream is still open: nothing is buffered on the way.
            assertThat(reader.readLine()).isEqualTo("id: g1");
            assertThat(reader.readLine()).contains("stub-a stream open, resumed after e7");
        }
    }

    @Test
    void theHeadOfAServerStreamArrivesBeforeItsFirstEvent() throws Exception {
        // A backend that opens the GET stream at once and sends its first event only much later.
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer quiet = dev.gpuproxy.server.testsupport.LocalHttpServers.start("/",
                exchange -> {
                    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().flush();
                    try (var out = exchange.getResponseBody()) {
                        release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                        out.write("data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}\n\n"
                                .getBytes(StandardCharsets.UTF_8));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (java.io.IOException gone) {
                        // the gateway closed the stream
                    }
                });
        try {
            String name = "quiet-" + UUID.randomUUID().toString().substring(0, 8);
            admin.asUser().contentType(ContentType.JSON).body(Map.of("name", name, "strategy", "round_robin"))
                    .post("/api/v1/admin/pools").then().statusCode(201);
            admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", name, "kind", "mcp", "url",
                    "http://127.0.0.1:" + quiet.getAddress().getPort() + "/mcp"))
                    .post("/api/v1/admin/backends").then().statusCode(201);
            HttpResponse<java.io.InputStream> stream = http.sendAsync(authorized("/mcp/" + name)
                            .header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream()).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            release.countDown();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                assertThat(reader.readLine()).contains("notifications/message");
            }
        } finally {
            release.countDown();
            quiet.stop(0);
        }
    }

    @Test
    void aRebindingPageWhoseHostAndOriginAgreeIsRefused() throws Exception {
        String pool = pool(A);
        // evil.example re-pointed at this server: the browser sends its own name as Host and as Origin.
        String forged = rawPost("/mcp/" + pool, "evil.example:" + RestAssured.port,
                "http://evil.example:" + RestAssured.port, INITIALIZE);
        assertThat(forged).startsWith("HTTP/1.1 403").contains("host_not_allowed");
        assertThat(A.received()).isEmpty();
        // The server's own address as Host and Origin still works (no name an attacker could re-point).
        assertThat(rawPost("/mcp/" + pool, "127.0.0.1:" + RestAssured.port, "http://127.0.0.1:" + RestAssured.port,
                INITIALIZE)).startsWith("HTTP/1.1 200");
    }

    /** One POST over a plain socket, so Host can be set to anything; the answer's status line, headers and body. */
    private String rawPost(String path, String host, String origin, String body) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(3_000);
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin
                    + "\r\nAuthorization: Bearer " + key + "\r\nContent-Type: application/json"
                    + "\r\nAccept: application/json, text/event-stream\r\nContent-Length: " + bytes.length
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int read; (read = socket.getInputStream().read(buffer)) > 0; ) {
                    answer.write(buffer, 0, read);
                }
            } catch (java.net.SocketTimeoutException streamStaysOpen) {
                // an SSE answer may stay open; what arrived is enough
            }
            return answer.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void refusalsComeAsJsonRpcErrors() throws Exception {
        String pool = pool(A);
        HttpResponse<String> noKey = send(HttpRequest.newBuilder(URI.create(gateway() + "/mcp/" + pool))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(INITIALIZE))
                .build());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(new JsonObject(noKey.body()).getString("jsonrpc")).isEqualTo("2.0");

        HttpResponse<String> unknownPool = post("/mcp/no-such-pool", INITIALIZE, Map.of());
        assertThat(unknownPool.statusCode()).isEqualTo(404);
        assertThat(unknownPool.body()).contains("no-such-pool");

        HttpResponse<String> foreignOrigin = post("/mcp/" + pool, INITIALIZE, Map.of("Origin", "https://evil.example"));
        assertThat(foreignOrigin.statusCode()).isEqualTo(403);
        assertThat(A.received()).isEmpty();
        HttpResponse<String> sameOrigin = post("/mcp/" + pool, INITIALIZE,
                Map.of("Origin", "http://127.0.0.1:" + RestAssured.port));
        assertThat(sameOrigin.statusCode()).isEqualTo(200);

        Api.Account broke = Api.registerAndLogin("mcp-broke");
        String brokeKey = Api.createApiKey(broke, "mcp");
        HttpResponse<String> noCredits = send(HttpRequest.newBuilder(URI.create(gateway() + "/mcp/" + pool))
                .header("Authorization", "Bearer " + brokeKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE)).build());
        assertThat(noCredits.statusCode()).isEqualTo(402);
    }

    @Test
    void everyMcpRequestIsMeteredAsOneRequestWithoutTokens() throws Exception {
        String pool = pool(A);
        String session = post("/mcp/" + pool, INITIALIZE, Map.of()).headers().firstValue("Mcp-Session-Id")
                .orElseThrow();
        post("/mcp/" + pool, toolsList(2), Map.of("Mcp-Session-Id", session));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin.asUser().get("/api/v1/admin/users/" + tenant.id() + "/usage").then().statusCode(200)
                        .body("requests", org.hamcrest.Matchers.equalTo(2))
                        .body("tokens_in", org.hamcrest.Matchers.equalTo(0)));
    }

    @Test
    void plainMcpGoesToThePoolNamedMcp() throws Exception {
        String first = "a-tools-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", first)).post("/api/v1/admin/pools")
                .then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", first, "kind", "mcp", "url", A.url()))
                .post("/api/v1/admin/backends").then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", McpRoutes.DEFAULT_POOL))
                .post("/api/v1/admin/pools").then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON)
                .body(Map.of("pool", McpRoutes.DEFAULT_POOL, "kind", "mcp", "url", B.url()))
                .post("/api/v1/admin/backends").then().statusCode(201);
        HttpResponse<String> init = post("/mcp", INITIALIZE, Map.of());
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(init.body()).getJsonObject("result").getJsonObject("serverInfo").getString("name"))
                .isEqualTo("stub-b");
    }

    private static String toolsList(int id) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/list\"}";
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create(gateway() + path)).header("Authorization", "Bearer " + key);
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = authorized(path).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        headers.forEach(request::header);
        return send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
