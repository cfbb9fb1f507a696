package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.MainRouter;
import dev.gpuproxy.server.testsupport.RequestContextActivations;
import dev.gpuproxy.server.testsupport.UpstreamStub;
import dev.gpuproxy.server.gateway.proxy.ProxyTargetGuard;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible gateway end to end, with the official OpenAI Java SDK as the client. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class GatewayTest {

    static final UpstreamStub A = new UpstreamStub("a");
    static final UpstreamStub B = new UpstreamStub("b");

    @TestHTTPResource("/v1")
    URL gatewayV1;

    @Inject
    CreditService credits;
    @Inject
    ProxyTestInstances instances;
    @Inject
    ProxyTargetGuard guard;
    @Inject
    dev.gpuproxy.server.lb.service.PoolRegistry registry;
    @Inject
    dev.gpuproxy.server.credit.service.UsageMeter usageMeter;
    @Inject
    RequestContextActivations requestContexts;
    @Inject
    MainRouter mainRouter;

    private Api.Account admin;
    private Api.Account tenant;
    private String tenantKey;

    @BeforeEach
    void setUp() {
        A.reset();
        B.reset();
        GatewayProfile.NVIDIA.reset();
        GatewayProfile.ANTHROPIC.reset();
        admin = Api.admin();
        tenant = Api.registerAndLogin("gw");
        tenantKey = Api.createApiKey(tenant, "sdk");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 1000 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
    }

    @AfterAll
    static void stopStubs() {
        A.close();
        B.close();
    }

    private OpenAIClient sdk() {
        return OpenAIOkHttpClient.builder().baseUrl(gatewayV1.toString()).apiKey(tenantKey).maxRetries(0).build();
    }

    /** A new pool with the given backends; returns the pool's model name. */
    private String pool(String strategy, Map<String, Object>... backends) {
        String name = "model-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", name, "strategy", strategy))
                .post("/api/v1/admin/pools").then().statusCode(201);
        for (Map<String, Object> backend : backends) {
            Map<String, Object> body = new java.util.HashMap<>(backend);
            body.put("pool", name);
            body.putIfAbsent("kind", "openai");
            admin.asUser().contentType(ContentType.JSON).body(body).post("/api/v1/admin/backends").then().statusCode(201);
        }
        return name;
    }

    /** GPath to the backend of {@code pool} at {@code url} in GET /api/v1/admin/backends. */
    private static String backendOf(String pool, String url) {
        return "data.find { it.pool == '" + pool + "' && it.url == '" + url + "' }";
    }

    private static ChatCompletionCreateParams chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("hello").build();
    }

    @Test
    void chatCompletionThroughTheOfficialSdkInjectsTheBackendKeyAndMetersUsage() {
        String model = pool("round_robin", Map.of("url", A.baseUrl(), "api_keys", List.of("sk-backend-a-0001")));
        ChatCompletion completion = sdk().chat().completions().create(chat(model));

        assertThat(completion.choices().get(0).message().content()).contains("hello from a");
        UpstreamStub.Received sent = A.received().get(0);
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-backend-a-0001");
        assertThat(sent.body()).doesNotContain(tenantKey);
        assertThat(sent.headers().toString()).doesNotContain(tenantKey);

        // Metrics are for admins, labelled by backend id and pool: never by URL (an instance endpoint is a tenant's).
        given().get("/q/metrics").then().statusCode(401);
        Api.admin().asUser().get("/q/metrics").then().statusCode(200)
                .body(containsString("gpuproxy_backend_requests_total{backend="))
                .body(containsString("pool=\"" + model + "\""))
                .body(org.hamcrest.Matchers.not(containsString("url=")))
                .body(org.hamcrest.Matchers.not(containsString(A.baseUrl())));

        // 10 prompt tokens at 0.5/1K + 20 completion tokens at 1.5/1K = 0.035 credits, charged by the batched meter.
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(credits.ledger(tenant.id(), null, 10)).anySatisfy(entry -> {
                    assertThat(entry.kind()).isEqualTo("usage");
                    assertThat(entry.amount()).isEqualByComparingTo("-0.035");
                }));
    }

    @Test
    void streamingChatArrivesChunkByChunkAndUsageIsReadFromTheFinalChunk() {
        String model = pool("round_robin", Map.of("url", A.baseUrl()));
        List<String> pieces;
        try (StreamResponse<ChatCompletionChunk> stream = sdk().chat().completions().createStreaming(chat(model))) {
            pieces = stream.stream().flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse("")).collect(Collectors.toList());
        }
        assertThat(String.join("", pieces)).isEqualTo("tok0 tok1 tok2 tok3 tok4 ");
        // usage chunk: 7 in, 5 out = 0.0035 + 0.0075 = 0.011
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(credits.ledger(tenant.id(), null, 10))
                        .anySatisfy(entry -> assertThat(entry.amount()).isEqualByComparingTo("-0.011")));
    }

    @Test
    void modelsListsWhatTheCallerMayUseAndUnknownModelsAre404InOpenAiShape() {
        String model = pool("round_robin", Map.of("url", A.baseUrl()));
        List<String> ids = sdk().models().list().data().stream().map(Model::id).toList();
        assertThat(ids).contains(model, "nvidia", "anthropic");

        assertThatThrownBy(() -> sdk().chat().completions().create(chat("no-such-model")))
                .isInstanceOf(NotFoundException.class);
        given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"no-such-model\",\"messages\":[]}").post("/v1/chat/completions").then()
                .statusCode(404).body("error.code", equalTo("model_not_found"))
                .body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void aDownBackendIsFailedOverBeforeTheClientSeesAnything() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String model = pool("round_robin", Map.of("url", "http://127.0.0.1:" + closedPort + "/v1"),
                Map.of("url", A.baseUrl()));
        for (int i = 0; i < 6; i++) {
            assertThat(sdk().chat().completions().create(chat(model)).choices().get(0).message().content())
                    .contains("hello from a");
        }
        admin.asUser().get("/api/v1/admin/backends").then().statusCode(200)
                .body(backendOf(model, "http://127.0.0.1:" + closedPort + "/v1") + ".errors",
                        org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void serverErrorsAreFailedOverAndEjectTheBackend() {
        B.failWith(503, "{\"error\":{\"message\":\"overloaded\"}}", Map.of());
        String model = pool("round_robin", Map.of("url", B.baseUrl()), Map.of("url", A.baseUrl()));
        for (int i = 0; i < 12; i++) {
            assertThat(sdk().chat().completions().create(chat(model)).choices().get(0).message().content())
                    .contains("hello from a");
        }
        admin.asUser().get("/api/v1/admin/backends").then()
                .body(backendOf(model, B.baseUrl()) + ".ejected", equalTo(true));
    }

    @Test
    void a429CoolsTheKeyDownAndTheOtherKeyServes() {
        A.failWith(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "30"));
        String model = pool("round_robin", Map.of("url", A.baseUrl(), "api_keys", List.of("sk-one-00001", "sk-two-00002")));
        given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[]}").post("/v1/chat/completions").then()
                .statusCode(429).header("Retry-After", "30");
        admin.asUser().get("/api/v1/admin/backends").then()
                .body(backendOf(model, A.baseUrl()) + ".keys.cooldown_until", org.hamcrest.Matchers.everyItem(notNullValue()));
        // Both keys cooling down: the answer is 429 in OpenAI's shape with a Retry-After, without calling upstream.
        A.reset();
        given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[]}").post("/v1/chat/completions").then()
                .statusCode(429).body("error.code", equalTo("rate_limit_exceeded"))
                .header("Retry-After", notNullValue());
        assertThat(A.received()).isEmpty();
    }

    @Test
    void aRevokedKeyIsDisabledAndTrafficMovesToTheGoodKey() {
        A.revoke("sk-revoked-0001");
        String model = pool("round_robin", Map.of("url", A.baseUrl(), "api_keys", List.of("sk-revoked-0001", "sk-good-00002")));
        for (int i = 0; i < 4; i++) {
            assertThat(sdk().chat().completions().create(chat(model)).choices().get(0).message().content())
                    .contains("hello from a");
        }
        long revokedUses = A.received().stream().filter(r -> "Bearer sk-revoked-0001".equals(r.header("Authorization"))).count();
        assertThat(revokedUses).isEqualTo(1);
        var backend = admin.asUser().get("/api/v1/admin/backends").then().extract().jsonPath();
        assertThat(backend.getList(backendOf(model, A.baseUrl()) + ".keys.findAll { it.disabled }.key", String.class))
                .containsExactly("sk-...0001");
    }

    @Test
    void aClientErrorIsReturnedAsIsWithoutPenalty() {
        A.failWith(400, "{\"error\":{\"message\":\"messages must not be empty\",\"type\":\"invalid_request_error\"}}", Map.of());
        String model = pool("round_robin", Map.of("url", A.baseUrl()), Map.of("url", B.baseUrl()));
        for (int i = 0; i < 8; i++) {
            given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON)
                    .body("{\"model\":\"" + model + "\",\"messages\":[]}").post("/v1/chat/completions").then()
                    .statusCode(org.hamcrest.Matchers.anyOf(equalTo(400), equalTo(200)));
        }
        admin.asUser().get("/api/v1/admin/backends").then()
                .body(backendOf(model, A.baseUrl()) + ".ejected", equalTo(false))
                .body(backendOf(model, A.baseUrl()) + ".errors", equalTo(0));
    }

    @Test
    void aBackendDyingMidStreamEndsTheStreamWithAnErrorEvent() {
        A.mode(UpstreamStub.Mode.DIE_MID_STREAM);
        String model = pool("round_robin", Map.of("url", A.baseUrl()));
        String body = given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[]}").post("/v1/chat/completions")
                .then().statusCode(200).extract().asString();
        assertThat(body).contains("tok0").contains("\"error\"").contains("upstream_stream_failed");
        admin.asUser().get("/api/v1/admin/backends").then()
                .body(backendOf(model, A.baseUrl()) + ".in_flight", equalTo(0))
                .body(backendOf(model, A.baseUrl()) + ".errors", equalTo(1));
    }

    @Test
    void aClientDisconnectingMidStreamCancelsTheUpstreamRequest() throws Exception {
        A.mode(UpstreamStub.Mode.SLOW_STREAM);
        String model = pool("round_robin", Map.of("url", A.baseUrl()));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gatewayV1 + "/chat/completions"))
                .header("Authorization", "Bearer " + tenantKey).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[]}")).build();
        var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        try (var in = response.body()) {
            assertThat(new String(in.readNBytes(200))).contains("tok0");
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> A.streamsCancelled() == 1);
        // The abandoned request no longer counts as in flight, and what the client received is still charged.
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin.asUser().get("/api/v1/admin/backends").then().body(backendOf(model, A.baseUrl()) + ".in_flight",
                        equalTo(0)));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(credits.ledger(tenant.id(), null, 10)).anySatisfy(e -> assertThat(e.kind()).isEqualTo("usage")));
    }

    @Test
    void requestsTheWalletCannotCoverAreRefusedWith402BeforeForwarding() {
        Api.Account poor = Api.registerAndLogin("poor");
        String poorKey = Api.createApiKey(poor, "k");
        String model = pool("round_robin", Map.of("url", A.baseUrl()));
        given().header("Authorization", "Bearer " + poorKey).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[]}").post("/v1/chat/completions").then()
                .statusCode(402).body("error.code", equalTo("insufficient_credits"));
        assertThat(A.received()).isEmpty();
    }

    @Test
    void providerPrefixRoutesToTheKeyPoolAndItsBucketsAreExact() {
        // nvidia pool: two keys at 4 requests/minute each = 8 requests, then 429 with Retry-After.
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            int status = given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON)
                    .body("{\"model\":\"nvidia/meta/llama-3.1-8b-instruct\",\"messages\":[]}")
                    .post("/v1/chat/completions").statusCode();
            if (status == 200) {
                ok++;
            } else if (status == 429) {
                limited++;
            }
        }
        assertThat(ok).isEqualTo(8);
        assertThat(limited).isEqualTo(2);
        UpstreamStub.Received first = GatewayProfile.NVIDIA.received().get(0);
        assertThat(first.body()).contains("\"model\":\"meta/llama-3.1-8b-instruct\"");
        assertThat(GatewayProfile.NVIDIA.received().stream().map(r -> r.header("Authorization")).distinct())
                .containsExactlyInAnyOrder("Bearer nvapi-key-one-0001", "Bearer nvapi-key-two-0002");
        admin.asUser().get("/api/v1/admin/backends").then()
                .body("data.findAll { it.pool == 'nvidia' }.keys.flatten().key",
                        hasItem(containsString("nvapi-...")));
    }

    @Test
    void anthropicMessagesGoToTheAnthropicBackendWithItsKeyAndVersion() {
        given().header("X-API-Key", tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"anthropic/claude-sonnet\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/messages").then().statusCode(200)
                .body("content[0].text", equalTo("hi from anthropic"));
        UpstreamStub.Received sent = GatewayProfile.ANTHROPIC.received().get(0);
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-key-0003");
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("Authorization")).isNull();
    }

    @Test
    void aReservationBackendPassesTheAddressGuardLikeAnyProxiedUrl() {
        // A GPU provider reported the tenant's instance endpoint on loopback: the gateway's own host.
        String model = "reservation-guard-" + UUID.randomUUID().toString().substring(0, 8);
        instances.privatePool(tenant.id(), model, A.baseUrl());
        registry.refresh();
        String body = "{\"model\":\"" + model + "\",\"messages\":[]}";
        List<ProxyTargetGuard.Cidr> previous = guard.replaceAllowList(List.of());
        try {
            given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON).body(body)
                    .post("/v1/chat/completions").then().statusCode(403)
                    .body("error.code", equalTo("target_not_allowed"))
                    .body("error.message", containsString("127.0.0.1"));
            assertThat(A.received()).isEmpty();
        } finally {
            guard.replaceAllowList(previous);
        }
        // PROXY_ALLOWED_CIDRS (127.0.0.1/32 in tests) lets the operator allow it.
        given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions").then().statusCode(200);
        assertThat(A.received()).hasSize(1);
    }

    @Test
    void countingTokensIsNeitherChargedNorCountedAsAnInference() {
        // A pool of its own: the hosted anthropic pool's key allows only 4 requests a minute in these tests.
        String claude = pool("round_robin", Map.of("url", A.baseUrl(), "kind", "anthropic"));
        String count = "{\"model\":\"" + claude + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(4000) + "\"}]}";
        for (int i = 0; i < 3; i++) {
            given().header("X-API-Key", tenantKey).contentType(ContentType.JSON).body(count)
                    .post("/v1/messages/count_tokens").then().statusCode(200);
        }
        assertThat(A.received()).hasSize(3);
        // One real inference afterwards: the meter works, and it is all the meter saw.
        given().header("X-API-Key", tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"" + claude + "\",\"max_tokens\":50,\"messages\":[]}")
                .post("/v1/messages").then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin.asUser().get("/api/v1/admin/users/" + tenant.id() + "/usage").then().statusCode(200)
                        .body("requests", equalTo(1)));
        usageMeter.flush();
        admin.asUser().get("/api/v1/admin/users/" + tenant.id() + "/usage").then()
                .body("requests", equalTo(1)).body("tokens_in", equalTo(12)).body("tokens_out", equalTo(6));
        assertThat(credits.ledger(tenant.id(), null, 10)).filteredOn(e -> e.kind().equals("usage")).hasSize(1);
    }

    @Test
    void anthropicRoutesAnswerErrorsInAnthropicsShape() {
        given().contentType(ContentType.JSON).body("{\"model\":\"x\"}").post("/v1/messages").then()
                .statusCode(401).body("type", equalTo("error"))
                .body("error.type", equalTo("authentication_error")).body("error.message", notNullValue());
        given().header("X-API-Key", tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"no-such-model\",\"max_tokens\":5,\"messages\":[]}").post("/v1/messages").then()
                .statusCode(404).body("type", equalTo("error")).body("error.type", equalTo("not_found_error"));
        given().header("X-API-Key", tenantKey).contentType(ContentType.JSON).body("[1,2]")
                .post("/v1/messages/count_tokens").then()
                .statusCode(400).body("type", equalTo("error")).body("error.type", equalTo("invalid_request_error"));
        given().header("X-API-Key", tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"anthropic/claude-sonnet\",\"max_tokens\":-3,\"messages\":[]}")
                .post("/v1/messages").then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
        Api.Account poor = Api.registerAndLogin("poor-anthropic");
        given().header("X-API-Key", Api.createApiKey(poor, "k")).contentType(ContentType.JSON)
                .body("{\"model\":\"anthropic/claude-sonnet\",\"max_tokens\":50,\"messages\":[]}")
                .post("/v1/messages").then().statusCode(402).body("type", equalTo("error"))
                .body("error.type", equalTo("billing_error"));
        // The OpenAI routes keep OpenAI's shape.
        given().contentType(ContentType.JSON).body("{\"model\":\"x\"}").post("/v1/chat/completions").then()
                .statusCode(401).body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_api_key"));
    }

    @Test
    void aProviderRejectingTheGatewaysKeysIsA502Then503NeverTheCallersOwn401() {
        A.revoke("sk-revoked-0001");
        String model = pool("round_robin", Map.of("url", A.baseUrl(), "api_keys", List.of("sk-revoked-0001")));
        // The OpenAI SDK must not report the caller's own key as invalid.
        assertThatThrownBy(() -> sdk().chat().completions().create(chat(model)))
                .isInstanceOf(com.openai.errors.InternalServerException.class)
                .isNotInstanceOf(com.openai.errors.UnauthorizedException.class)
                .satisfies(e -> assertThat(((com.openai.errors.OpenAIServiceException) e).statusCode()).isEqualTo(502));
        A.reset();
        A.revoke("sk-revoked-0001");
        // Now every key is disabled: 503 at once, no Retry-After (waiting will not help), upstream not called.
        given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"messages\":[]}").post("/v1/chat/completions").then()
                .statusCode(503).body("error.code", equalTo("no_usable_key"))
                .header("Retry-After", org.hamcrest.Matchers.nullValue());
        assertThat(A.received()).isEmpty();
        assertThatThrownBy(() -> sdk().chat().completions().create(chat(model)))
                .isInstanceOf(com.openai.errors.InternalServerException.class)
                .satisfies(e -> assertThat(((com.openai.errors.OpenAIServiceException) e).statusCode()).isEqualTo(503));

        // The same on the Anthropic route, in Anthropic's shape.
        String claude = pool("round_robin", Map.of("url", A.baseUrl(), "kind", "anthropic",
                "api_keys", List.of("sk-revoked-0001")));
        given().header("X-API-Key", tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"" + claude + "\",\"max_tokens\":5,\"messages\":[]}").post("/v1/messages").then()
                .statusCode(502).body("type", equalTo("error")).body("error.type", equalTo("api_error"))
                .body("error.code", equalTo("upstream_credentials_rejected"));
    }

    @Test
    void imageGenerationsPassThroughAndAreMeteredAsOneRequestWithoutTokens() {
        String model = pool("round_robin", Map.of("url", A.baseUrl(), "api_keys", List.of("sk-backend-a-0001")));
        given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"prompt\":\"" + "a cat ".repeat(500) + "\",\"n\":1}")
                .post("/v1/images/generations").then().statusCode(200);
        UpstreamStub.Received sent = A.received().get(0);
        assertThat(sent.path()).isEqualTo("/v1/images/generations");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-backend-a-0001");
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                admin.asUser().get("/api/v1/admin/users/" + tenant.id() + "/usage").then().statusCode(200)
                        .body("requests", equalTo(1)).body("tokens_in", equalTo(0)).body("tokens_out", equalTo(0)));
    }

    @Test
    void missingOrBadKeysAre401InOpenAiShape() {
        given().contentType(ContentType.JSON).body("{\"model\":\"x\"}").post("/v1/chat/completions").then()
                .statusCode(401).body("error.code", equalTo("invalid_api_key"))
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer gpx_AAAAAAAAAAAA_" + "C".repeat(32)).contentType(ContentType.JSON)
                .body("{\"model\":\"x\"}").post("/v1/chat/completions").then().statusCode(401);
    }

    /**
     * The data plane answers before Quarkus' HTTP security and the REST layer's handlers and outside Micrometer's HTTP
     * server timer (DataPlaneRoutes, application.properties): its own admission still holds (key, per-user rate limit,
     * credits), it still meters, and /q/metrics counts it by backend while the REST API keeps its HTTP timer.
     */
    @Test
    void theDataPlaneKeepsItsAdmissionAndMeteringOutsideTheRestFilterChain() {
        String model = pool("round_robin", Map.of("url", A.baseUrl()));
        String chat = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        given().contentType(ContentType.JSON).body(chat).post("/v1/chat/completions").then().statusCode(401);

        Api.Account limited = Api.registerAndLogin("gw-limited");
        String limitedKey = Api.createApiKey(limited, "k");
        credits.add(limited.id(), CreditService.Kind.GRANT, 1000 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
        admin.asUser().contentType(ContentType.JSON).body(Map.of("rate_limit_per_minute", 2))
                .patch("/api/v1/admin/users/" + limited.id()).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                given().header("X-API-Key", limitedKey).get("/api/v1/user/me").then().header("X-RateLimit-Limit", "2"));
        int status = 200;
        for (int i = 0; i < 3 && status == 200; i++) {
            status = given().header("Authorization", "Bearer " + limitedKey).contentType(ContentType.JSON).body(chat)
                    .post("/v1/chat/completions").statusCode();
        }
        given().header("Authorization", "Bearer " + limitedKey).contentType(ContentType.JSON).body(chat)
                .post("/v1/chat/completions").then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());

        given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON).body(chat)
                .post("/v1/chat/completions").then().statusCode(200).header("X-Gpuproxy-Backend",
                        org.hamcrest.Matchers.notNullValue());
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(credits.ledger(tenant.id(), null, 10)).anySatisfy(e -> assertThat(e.kind()).isEqualTo("usage")));
        Api.admin().asUser().get("/q/metrics").then().statusCode(200)
                .body(containsString("pool=\"" + model + "\""))
                .body(containsString("http_server_requests_seconds_count{"))
                .body(containsString("uri=\"/api/v1/user/me\""))
                .body(org.hamcrest.Matchers.not(containsString("uri=\"/v1/chat/completions\"")));
    }

    @Test
    void aDataPlaneRequestActivatesNoRequestContext() {
        String model = pool("round_robin", Map.of("url", A.baseUrl()));
        String chat = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        // The first use of the key verifies it (a worker and the database); after it, requests answer from memory.
        given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON).body(chat)
                .post("/v1/chat/completions").then().statusCode(200);
        // The REST API does activate one per request: the counter sees them.
        long beforeRest = requestContexts.onEventLoops();
        for (int i = 0; i < 5; i++) {
            given().header("X-API-Key", tenantKey).get("/api/v1/user/me").then().statusCode(200);
        }
        assertThat(requestContexts.onEventLoops() - beforeRest).isGreaterThanOrEqualTo(5);

        int requests = 20;
        long before = requestContexts.onEventLoops();
        for (int i = 0; i < requests; i++) {
            given().header("Authorization", "Bearer " + tenantKey).contentType(ContentType.JSON).body(chat)
                    .post("/v1/chat/completions").then().statusCode(200);
        }
        // Route filters cost each request five (each with a security identity association); the edge handlers none.
        // Fewer than one per request leaves room for a background job that happens to run on an event loop.
        assertThat(requestContexts.onEventLoops() - before).isLessThan(requests);
    }

    @Test
    void theRoutesBeforeTheChatRouteMatchWithoutARegularExpression() {
        // The router tries every route ahead of the one that answers, and one with a path parameter or regex costs a
        // new regex matcher per request: none may stand before the route every chat completion takes.
        List<String> before = new java.util.ArrayList<>();
        for (io.vertx.ext.web.Route route : mainRouter.router().getRoutes()) {
            if ("/v1/chat/completions".equals(route.getPath()) && route.methods().contains(io.vertx.core.http.HttpMethod.POST)) {
                assertThat(before).as("regex routes ahead of the chat route").isEmpty();
                return;
            }
            if (route.isRegexPath()) {
                before.add(route.getPath() == null ? route.getName() : route.getPath());
            }
        }
        throw new AssertionError("no POST /v1/chat/completions route in the main router");
    }
}
