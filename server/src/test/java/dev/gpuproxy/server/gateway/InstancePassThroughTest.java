package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.ProtocolStub;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /proxy/{instanceId}/**: a transparent reverse proxy to the caller's own running instance, and nobody else's. */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class InstancePassThroughTest {

    static final ProtocolStub INSTANCE = new ProtocolStub();

    @TestHTTPResource("/")
    URL root;
    @Inject
    CreditService credits;
    @Inject
    ProxyTestInstances instances;
    @Inject
    MeterRegistry registry;

    private Api.Account tenant;
    private String key;
    private long id;

    @BeforeEach
    void setUp() {
        INSTANCE.received().clear();
        tenant = Api.registerAndLogin("passthrough");
        key = Api.createApiKey(tenant, "pt");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
        id = instances.create(tenant.id(), "running", "127.0.0.1:" + INSTANCE.port());
    }

    @AfterAll
    static void stop() {
        INSTANCE.close();
    }

    private RequestSpecification client() {
        return given().header("X-API-Key", key);
    }

    @Test
    void getReachesTheInstanceWithPathQueryAndForwardedHeadersButNotTheGatewayKey() {
        client().header("X-Custom", "kept").get("/proxy/" + id + "/echo/a/b?c=d&e=f").then().statusCode(200)
                .header("X-Stub", "echo")
                .body("method", equalTo("GET")).body("path", equalTo("/echo/a/b")).body("query", equalTo("c=d&e=f"))
                .body("headers.x-custom", equalTo("kept"))
                .body("headers.x-forwarded-for", notNullValue());
        assertThat(INSTANCE.received().get(0).headers().toString()).doesNotContain(key);
        assertThat(INSTANCE.received().get(0).header("Host")).isEqualTo("127.0.0.1:" + INSTANCE.port());
    }

    /** The tenant chooses the path after the instance id: as a metrics label it would make a series per path. */
    @Test
    void passedThroughRequestsAreTimedUnderTheRoutesTemplateNeverTheirOwnPath() {
        String path = "/echo/" + UUID.randomUUID();
        long before = timedPassThroughs();
        client().get("/proxy/" + id + path).then().statusCode(200);
        // Counted when the response has ended on the server, which may be just after the client read it.
        await().untilAsserted(() -> assertThat(timedPassThroughs()).isEqualTo(before + 1));
        assertThat(registry.find("http.server.requests").meters()).map(Meter::getId).map(meter -> meter.getTag("uri"))
                .noneMatch(uri -> uri.contains(path) || uri.contains("/proxy/" + id));
    }

    private long timedPassThroughs() {
        Timer timer = registry.find("http.server.requests").tag("uri", "/proxy/{instanceId}").tag("status", "200")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void noCredentialOfOursReachesTheInstanceInAnyHeader() {
        String accessToken = tenant.accessToken();
        given().header("Authorization", "Bearer " + accessToken)
                .header("Cookie", "session=browser-cookie-of-gpuproxy; theme=dark")
                .header("X-Debug", "forwarded " + accessToken)
                .header("X-Other-Key", key)
                .header("X-Custom", "kept")
                .get("/proxy/" + id + "/echo/creds").then().statusCode(200);
        ProtocolStub.Received seen = INSTANCE.received().get(0);
        assertThat(seen.headers().toString()).doesNotContain(accessToken).doesNotContain(key)
                .doesNotContain("browser-cookie-of-gpuproxy");
        assertThat(seen.header("Cookie")).isNull();
        assertThat(seen.header("Authorization")).isNull();
        assertThat(seen.header("X-Custom")).isEqualTo("kept");

        // The instance's own credential, next to ours in X-API-Key, is the tenant's business and passes.
        INSTANCE.received().clear();
        client().header("Authorization", "Basic aW5zdGFuY2U6c2VjcmV0").get("/proxy/" + id + "/echo/own").then()
                .statusCode(200);
        assertThat(INSTANCE.received().get(0).header("Authorization")).isEqualTo("Basic aW5zdGFuY2U6c2VjcmV0");
    }

    @Test
    void anyMethodAndItsStatusPassThrough() {
        client().delete("/proxy/" + id + "/echo/status/204").then().statusCode(204);
        client().patch("/proxy/" + id + "/echo/status/409").then().statusCode(409).body("method", equalTo("PATCH"));
        assertThat(INSTANCE.received()).extracting(ProtocolStub.Received::method).containsExactly("DELETE", "PATCH");
    }

    @Test
    void aLargeChunkedPostBodyStreamsThroughIntact() throws Exception {
        String payload = "x".repeat(300_000);
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + "proxy/" + id + "/echo/upload"))
                .header("X-API-Key", key)
                // An InputStream publisher has no known length: the body goes chunked, end to end.
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8))))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(INSTANCE.received().get(0).body()).isEqualTo(payload);
        assertThat(INSTANCE.received().get(0).method()).isEqualTo("POST");
    }

    @Test
    void aStreamedAnswerArrivesPartByPart() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + "proxy/" + id + "/stream"))
                .header("X-API-Key", key).build();
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(response.body().filter(line -> !line.isEmpty()).toList())
                .containsExactly("data: part0", "data: part1", "data: part2", "data: part3", "data: part4");
    }

    @Test
    void anotherTenantsOrAStoppedOrUnknownInstanceIs404() {
        Api.Account other = Api.registerAndLogin("passthrough-other");
        long theirs = instances.create(other.id(), "running", "127.0.0.1:" + INSTANCE.port());
        long stopped = instances.create(tenant.id(), "terminated", "127.0.0.1:" + INSTANCE.port());
        client().get("/proxy/" + theirs + "/echo").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("instance_not_found"));
        client().get("/proxy/" + stopped + "/echo").then().statusCode(404);
        client().get("/proxy/999999999/echo").then().statusCode(404);
        client().get("/proxy/abc/echo").then().statusCode(404);
        assertThat(INSTANCE.received()).isEmpty();
    }

    @Test
    void withoutCredentialsTheAnswerIs401() {
        given().get("/proxy/" + id + "/echo").then().statusCode(401).contentType("application/problem+json");
        assertThat(INSTANCE.received()).isEmpty();
    }

    @Test
    void pathsThatAreNotUrlsAre400AtOnceAndKeepNoCreditHeld() throws Exception {
        // A tenant with one micro-credit: a request holds it while it runs, so a leaked hold locks the tenant out.
        Api.Account poor = Api.registerAndLogin("passthrough-poor");
        String poorKey = Api.createApiKey(poor, "pt");
        credits.add(poor.id(), CreditService.Kind.GRANT, 1, "test", "t:" + UUID.randomUUID());
        long theirs = instances.create(poor.id(), "running", "127.0.0.1:" + INSTANCE.port());
        // Vert.x refuses "a|b" in the request line itself (empty 400); a raw non-ASCII byte gets past the parser.
        for (String path : new String[] {"a|b", "caf\u00e9"}) {
            String answer;
            try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("GET /proxy/" + theirs + "/" + path + " HTTP/1.1\r\nHost: "
                        + root.getHost() + "\r\nX-API-Key: " + poorKey + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
        given().header("X-API-Key", poorKey).get("/proxy/" + theirs + "/echo/ok").then().statusCode(200);
        assertThat(INSTANCE.received()).extracting(ProtocolStub.Received::path).containsExactly("/echo/ok");
    }
}
