package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.LocalHttpServers;
import dev.gpuproxy.server.testsupport.ProtocolStub;
import dev.gpuproxy.server.gateway.proxy.ProxyTargetGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The envelope POST /api/v1/gpu/proxy: real answers from allowed targets, and no way to reach anything else. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class ProxyEnvelopeTest {

    static final ProtocolStub TARGET = new ProtocolStub();

    @Inject
    CreditService credits;
    @Inject
    ProxyTestInstances instances;
    @Inject
    ProxyTargetGuard guard;

    private Api.Account admin;
    private Api.Account tenant;
    private String key;

    @BeforeEach
    void setUp() {
        TARGET.received().clear();
        admin = Api.admin();
        tenant = Api.registerAndLogin("envelope");
        key = Api.createApiKey(tenant, "envelope");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
    }

    /** Answers 100 KB, over the tests' 64K PROXY_MAX_BUFFERED_RESPONSE: with a Content-Length, or chunked. */
    static final int BIG_BYTES = 100 * 1024;
    static final HttpServer BIG = LocalHttpServers.start("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        byte[] body = path.equals("/small") ? "small".getBytes() : new byte[BIG_BYTES];
        exchange.sendResponseHeaders(200, path.equals("/big-chunked") ? 0 : body.length);
        try (var out = exchange.getResponseBody()) {
            for (int at = 0; at < body.length; at += 8192) {
                out.write(body, at, Math.min(8192, body.length - at));
            }
        } catch (java.io.IOException cut) {
            // the gateway stopped reading: expected for the refused answers
        }
    });

    @AfterAll
    static void stop() {
        TARGET.close();
        BIG.stop(0);
    }

    private RequestSpecification client() {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    /** Registers a global pool with one {@code http} backend at {@code url}. */
    private void registerBackend(String url) {
        String pool = "env-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", pool)).post("/api/v1/admin/pools")
                .then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", pool, "kind", "http", "url", url))
                .post("/api/v1/admin/backends").then().statusCode(201);
    }

    private static Map<String, Object> envelope(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void anOwnedInstanceAnswersWithItsRealStatusHeadersAndBody() {
        long id = instances.create(tenant.id(), "running", "127.0.0.1:" + TARGET.port());
        client().body(envelope("protocol", "http", "instance_id", id, "target_url", "/echo/status/201?x=1",
                        "method", "PUT", "headers", Map.of("X-Custom", "yes"), "body", Map.of("a", 1)))
                .post("/api/v1/gpu/proxy").then().statusCode(201)
                .header("X-Stub", "echo")
                .body("method", equalTo("PUT"))
                .body("path", equalTo("/echo/status/201"))
                .body("query", equalTo("x=1"))
                .body("headers.x-custom", equalTo("yes"))
                .body("headers.content-type", equalTo("application/json"))
                .body("body", equalTo("{'a':1}".replace('\'', '"')));
        ProtocolStub.Received sent = TARGET.received().get(0);
        assertThat(sent.header("Host")).isEqualTo("127.0.0.1:" + TARGET.port());
        assertThat(sent.headers().toString()).doesNotContain(key);
    }

    /** A caller who pastes a gpuproxy credential into the envelope's headers must not hand it to the rented host. */
    @Test
    void noCredentialOfOursWrittenIntoTheEnvelopesHeadersReachesTheTarget() {
        long id = instances.create(tenant.id(), "running", "127.0.0.1:" + TARGET.port());
        String otherKey = Api.createApiKey(tenant, "second");
        client().body(envelope("instance_id", id, "target_url", "/echo/status/200", "headers", Map.of(
                        "Authorization", "Bearer " + key, "X-Forward-Me", "token=" + otherKey,
                        "X-Session", tenant.accessToken(), "X-Api-Key", "the-targets-own-key")))
                .post("/api/v1/gpu/proxy").then().statusCode(200)
                .body("headers.x-api-key", equalTo("the-targets-own-key"));
        ProtocolStub.Received sent = TARGET.received().get(TARGET.received().size() - 1);
        assertThat(sent.headers().toString()).doesNotContain(key).doesNotContain(otherKey)
                .doesNotContain(tenant.accessToken());
    }

    @Test
    void aRegisteredBackendUrlCanBeCalled() {
        registerBackend(TARGET.baseUrl() + "/echo");
        client().body(envelope("target_url", TARGET.baseUrl() + "/echo/sub", "body", "plain text",
                        "headers", Map.of("Content-Type", "text/plain")))
                .post("/api/v1/gpu/proxy").then().statusCode(200)
                .body("method", equalTo("POST")).body("path", equalTo("/echo/sub")).body("body", equalTo("plain text"));
    }

    @Test
    void aUrlThatIsNeitherAnInstanceNorABackendIsRefused() {
        client().body(envelope("target_url", TARGET.baseUrl() + "/not-registered-" + UUID.randomUUID()))
                .post("/api/v1/gpu/proxy").then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("target_not_registered"));
        // A path that climbs out of a registered backend's base path is not under it.
        registerBackend(TARGET.baseUrl() + "/echo");
        client().body(envelope("target_url", TARGET.baseUrl() + "/echo/%2e%2e/admin"))
                .post("/api/v1/gpu/proxy").then().statusCode(403).body("code", equalTo("target_not_registered"));
        assertThat(TARGET.received()).isEmpty();
    }

    @Test
    void anotherTenantsInstanceDoesNotExist() {
        Api.Account other = Api.registerAndLogin("envelope-other");
        long theirs = instances.create(other.id(), "running", "127.0.0.1:" + TARGET.port());
        client().body(envelope("instance_id", theirs, "target_url", "/echo"))
                .post("/api/v1/gpu/proxy").then().statusCode(404).body("code", equalTo("instance_not_found"));
        long stopped = instances.create(tenant.id(), "terminated", "127.0.0.1:" + TARGET.port());
        client().body(envelope("instance_id", stopped)).post("/api/v1/gpu/proxy").then().statusCode(404);
        assertThat(TARGET.received()).isEmpty();
    }

    @Test
    void loopbackIsRefusedWhenNotAllowListedEvenForAnOwnedInstanceOrByName() {
        long id = instances.create(tenant.id(), "running", "127.0.0.1:" + TARGET.port());
        registerBackend("http://localhost:" + TARGET.port() + "/echo");
        List<ProxyTargetGuard.Cidr> previous = guard.replaceAllowList(List.of());
        try {
            client().body(envelope("instance_id", id, "target_url", "/echo")).post("/api/v1/gpu/proxy")
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("code", equalTo("target_not_allowed")).body("detail", containsString("127.0.0.1"));
            client().body(envelope("target_url", "http://localhost:" + TARGET.port() + "/echo"))
                    .post("/api/v1/gpu/proxy").then().statusCode(403).body("code", equalTo("target_not_allowed"));
        } finally {
            guard.replaceAllowList(previous);
        }
        assertThat(TARGET.received()).isEmpty();
    }

    @Test
    void metadataPrivateAndUnspecifiedAddressesAreRefusedEvenWhenRegistered() {
        for (String url : List.of("http://169.254.169.254/latest", "http://10.0.0.1:8080", "http://192.168.1.10",
                "http://172.16.5.4", "http://[fd00::1]:8000", "http://[fe80::1]", "http://0.0.0.0:8000",
                "http://127.0.0.2:" + TARGET.port(), "http://[::1]:" + TARGET.port())) {
            registerBackend(url);
            client().body(envelope("target_url", url + "/x")).post("/api/v1/gpu/proxy").then()
                    .statusCode(403).body("code", equalTo("target_not_allowed"));
        }
    }

    @Test
    void aRedirectToPrivateSpaceIsReturnedNotFollowed() {
        long id = instances.create(tenant.id(), "running", "127.0.0.1:" + TARGET.port());
        client().redirects().follow(false).body(envelope("instance_id", id, "target_url", "/redirect"))
                .post("/api/v1/gpu/proxy").then().statusCode(302)
                .header("Location", "http://10.0.0.1/internal");
        assertThat(TARGET.received()).extracting(ProtocolStub.Received::path).containsExactly("/redirect");
    }

    @Test
    void xTimelimitAndTimeoutCapTheCall() {
        long id = instances.create(tenant.id(), "running", "127.0.0.1:" + TARGET.port());
        client().header("X-Timelimit", "0.5").body(envelope("instance_id", id, "target_url", "/slow"))
                .post("/api/v1/gpu/proxy").then().statusCode(504).body("code", equalTo("time_limit_exceeded"));
        client().body(envelope("instance_id", id, "target_url", "/slow", "timeout", 0.5))
                .post("/api/v1/gpu/proxy").then().statusCode(504).body("code", equalTo("time_limit_exceeded"));
        client().header("X-Timelimit", "soon").body(envelope("instance_id", id, "target_url", "/slow"))
                .post("/api/v1/gpu/proxy").then().statusCode(400);
    }

    @Test
    void aStreamedResponseArrivesWhole() {
        long id = instances.create(tenant.id(), "running", "127.0.0.1:" + TARGET.port());
        String body = client().body(envelope("instance_id", id, "target_url", "/stream", "stream_response", true))
                .post("/api/v1/gpu/proxy").then().statusCode(200)
                .header("Content-Type", startsWith("text/event-stream")).extract().asString();
        assertThat(body).isEqualTo("data: part0\n\ndata: part1\n\ndata: part2\n\ndata: part3\n\ndata: part4\n\n");
    }

    @Test
    void aGlobalInferenceBackendPricedPerTokenCannotBeCalledThroughTheEnvelope() {
        String pool = "env-llm-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", pool)).post("/api/v1/admin/pools")
                .then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", pool, "kind", "openai", "url",
                TARGET.baseUrl() + "/llm/v1")).post("/api/v1/admin/backends").then().statusCode(201);
        client().body(envelope("target_url", TARGET.baseUrl() + "/llm/v1/chat/completions", "body",
                        Map.of("model", pool, "messages", List.of())))
                .post("/api/v1/gpu/proxy").then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("target_metered_per_token"))
                .body("detail", containsString("/v1/chat/completions"));
        assertThat(TARGET.received()).isEmpty();
    }

    @Test
    void aBufferedAnswerOverTheLimitIsAClearErrorAndAStreamedOneArrivesWhole() {
        long id = instances.create(tenant.id(), "running", "127.0.0.1:" + BIG.getAddress().getPort());
        for (String path : List.of("/big", "/big-chunked")) {
            client().body(envelope("instance_id", id, "target_url", path)).post("/api/v1/gpu/proxy").then()
                    .statusCode(502).contentType("application/problem+json")
                    .body("code", equalTo("target_answer_too_large"))
                    .body("detail", containsString("stream_response"));
        }
        byte[] streamed = client().body(envelope("instance_id", id, "target_url", "/big-chunked", "stream_response",
                true)).post("/api/v1/gpu/proxy").then().statusCode(200).extract().asByteArray();
        assertThat(streamed).hasSize(BIG_BYTES);
        client().body(envelope("instance_id", id, "target_url", "/small")).post("/api/v1/gpu/proxy").then()
                .statusCode(200).body(equalTo("small"));
    }

    @Test
    void trailingContentAfterTheEnvelopeAndPathsThatAreNotUrlsAre400() {
        long id = instances.create(tenant.id(), "running", "127.0.0.1:" + TARGET.port());
        client().body("{\"instance_id\":" + id + ",\"target_url\":\"/echo\"} {\"target_url\":\"/other\"}")
                .post("/api/v1/gpu/proxy").then().statusCode(400).body("code", equalTo("invalid_envelope"));
        client().body(envelope("instance_id", id, "target_url", "/a|b")).post("/api/v1/gpu/proxy").then()
                .statusCode(400).body("code", equalTo("invalid_target"));
        assertThat(TARGET.received()).isEmpty();
    }

    @Test
    void malformedEnvelopesAndMissingCredentialsAreProblems() {
        client().body(envelope("protocol", "gopher", "target_url", "http://example.com")).post("/api/v1/gpu/proxy")
                .then().statusCode(400).body("code", equalTo("invalid_protocol"));
        client().body(envelope("target_url", "http://example.com", "stream_response", "yes")).post("/api/v1/gpu/proxy")
                .then().statusCode(400).contentType("application/problem+json");
        client().body(envelope("method", "GET")).post("/api/v1/gpu/proxy")
                .then().statusCode(400).body("code", equalTo("invalid_target"));
        given().contentType(ContentType.JSON).body(envelope("target_url", "http://example.com"))
                .post("/api/v1/gpu/proxy").then().statusCode(401).contentType("application/problem+json");
    }
}
