package dev.gpuproxy.provider.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.Fault;
import dev.gpuproxy.provider.spi.ProviderException;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderHttpTest {

    @RegisterExtension
    static WireMockExtension stub = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    /** Short waits so the suite stays quick; {@link RetryPolicyTest} covers the default's numbers. */
    private static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(10), 2, Duration.ofSeconds(2));

    /** The waits resilience4j chose before each retry, read from its retry events. */
    private final List<Duration> sleeps = new ArrayList<>();

    private ProviderHttp.Builder http() {
        return ProviderHttp.builder("test", URI.create("http://127.0.0.1:" + stub.getPort()))
                .timeout(Duration.ofSeconds(5))
                .secretHeader("Authorization", "Bearer sk-secret-123", "sk-secret-123")
                .retryPolicy(QUICK);
    }

    private ProviderHttp recorded(ProviderHttp.Builder builder) {
        ProviderHttp http = builder.build();
        http.retryEvents().onRetry(event -> sleeps.add(event.getWaitInterval()));
        return http;
    }

    @Test
    void sendsJsonBodyAuthHeaderAndReturnsParsedBody() {
        stub.stubFor(post("/things").willReturn(okJson("{\"ok\":true}")));

        String body = recorded(http()).send("POST", "/things", "{\"a\":1}", b -> b);

        assertEquals("{\"ok\":true}", body);
        stub.verify(postRequestedFor(urlEqualTo("/things"))
                .withHeader("Authorization", equalTo("Bearer sk-secret-123"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"a\":1}")));
    }

    @Test
    void retriesRateLimitWithoutRetryAfterThenSucceedsWithGrowingBackoff() {
        stub.stubFor(get("/x").inScenario("rl").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withBody("API requests too frequent")).willSetStateTo("second"));
        stub.stubFor(get("/x").inScenario("rl").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(429).withBody("API requests too frequent")).willSetStateTo("ok"));
        stub.stubFor(get("/x").inScenario("rl").whenScenarioStateIs("ok").willReturn(okJson("{}")));

        String body = recorded(http()).get("/x", b -> b);

        assertEquals("{}", body);
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20)), sleeps);
        stub.verify(3, getRequestedFor(urlEqualTo("/x")));
    }

    @Test
    void gatewayErrorsExhaustTheDefaultThreeRetriesThenFailRetryable() {
        stub.stubFor(get("/x").willReturn(aResponse().withStatus(503).withBody("upstream overloaded")));
        ProviderHttp http = recorded(http().retryPolicy(RetryPolicy.DEFAULT));

        ProviderException e = assertThrows(ProviderException.class, () -> http.get("/x", b -> b));

        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals(503, e.httpStatus());
        assertTrue(e.getMessage().contains("upstream overloaded"), e.getMessage());
        stub.verify(4, getRequestedFor(urlEqualTo("/x")));
        assertEquals(List.of(Duration.ofMillis(150), Duration.ofMillis(225), Duration.ofMillis(337)), sleeps);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 502, 503, 504})
    void eachRetryStatusIsTriedFourTimesAndKeepsItsKind(int status) {
        stub.stubFor(get("/x").willReturn(aResponse().withStatus(status).withBody("busy")));

        ProviderException e = assertThrows(ProviderException.class, () -> recorded(http()).get("/x", b -> b));

        assertEquals(ProviderException.kindForStatus(status), e.kind());
        assertEquals(status, e.httpStatus());
        assertTrue(e.retryable());
        stub.verify(4, getRequestedFor(urlEqualTo("/x")));
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)), sleeps);
    }

    @Test
    void clientErrorsAreNotRetried() {
        stub.stubFor(get("/x").willReturn(aResponse().withStatus(404).withBody("no such thing")));

        ProviderException e = assertThrows(ProviderException.class, () -> recorded(http()).get("/x", b -> b));

        assertEquals(ProviderException.Kind.NOT_FOUND, e.kind());
        assertFalse(e.retryable());
        stub.verify(1, getRequestedFor(urlEqualTo("/x")));
        assertTrue(sleeps.isEmpty());
    }

    /** Only rate limits and gateway answers are repeated; a 500 is a bug on the provider's side, not a blip. */
    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 409, 410, 422, 500, 501})
    void otherErrorStatusesAreAnsweredOnce(int status) {
        stub.stubFor(get("/x").willReturn(aResponse().withStatus(status).withBody("no")));

        ProviderException e = assertThrows(ProviderException.class, () -> recorded(http()).get("/x", b -> b));

        assertEquals(ProviderException.kindForStatus(status), e.kind());
        assertEquals(status, e.httpStatus());
        stub.verify(1, getRequestedFor(urlEqualTo("/x")));
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void retryAfterSecondsReplaceTheBackoff() {
        stub.stubFor(get("/x").inScenario("ra").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("slow down"))
                .willSetStateTo("ok"));
        stub.stubFor(get("/x").inScenario("ra").whenScenarioStateIs("ok").willReturn(okJson("{}")));

        String body = recorded(http()).get("/x", b -> b);

        assertEquals("{}", body);
        assertEquals(List.of(Duration.ofSeconds(1)), sleeps);
        stub.verify(2, getRequestedFor(urlEqualTo("/x")));
    }

    @Test
    void retryAfterLongerThanThePolicyWaitsIsReportedRateLimitedAtOnce() {
        stub.stubFor(get("/x").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")
                .withBody("quota exhausted")));

        ProviderException e = assertThrows(ProviderException.class, () -> recorded(http()).get("/x", b -> b));

        assertEquals(ProviderException.Kind.RATE_LIMITED, e.kind());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("quota exhausted"), e.getMessage());
        stub.verify(1, getRequestedFor(urlEqualTo("/x")));
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void noRetryPolicyTriesOnce() {
        stub.stubFor(get("/x").willReturn(aResponse().withStatus(503)));
        ProviderHttp http = recorded(http().retryPolicy(RetryPolicy.NONE));

        ProviderException e = assertThrows(ProviderException.class, () -> http.get("/x", b -> b));

        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
        stub.verify(1, getRequestedFor(urlEqualTo("/x")));
    }

    @Test
    void slowAnswerBecomesRetryableTimeoutWithoutRepeatingTheRequest() {
        stub.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(1500)));

        ProviderHttp http = recorded(http().timeout(Duration.ofMillis(200)));
        ProviderException e = assertThrows(ProviderException.class, () -> http.get("/slow", b -> b));

        assertEquals(ProviderException.Kind.TIMEOUT, e.kind());
        assertTrue(e.retryable());
        assertEquals(0, e.httpStatus());
        stub.verify(1, getRequestedFor(urlEqualTo("/slow")));
    }

    @Test
    void resetConnectionsAreRetriedThenReportedUnavailable() {
        stub.stubFor(get("/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        ProviderException e = assertThrows(ProviderException.class, () -> recorded(http()).get("/reset", b -> b));

        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals(0, e.httpStatus());
        stub.verify(4, getRequestedFor(urlEqualTo("/reset")));
        assertEquals(List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40)), sleeps);
    }

    @Test
    void refusedConnectionIsRetryableUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProviderHttp http = recorded(ProviderHttp.builder("test", URI.create("http://127.0.0.1:" + closedPort))
                .retryPolicy(QUICK));

        ProviderException e = assertThrows(ProviderException.class, () -> http.get("/x", b -> b));

        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("could not reach provider for GET /x"), e.getMessage());
        assertEquals(3, sleeps.size());
    }

    @Test
    void parserFailureBecomesMalformedResponse() {
        stub.stubFor(get("/x").willReturn(okJson("<html>oops</html>")));

        ProviderException e = assertThrows(ProviderException.class, () -> recorded(http()).get("/x", b -> {
            throw new IllegalStateException("not JSON");
        }));

        assertEquals(ProviderException.Kind.MALFORMED_RESPONSE, e.kind());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }

    @Test
    void secretsEchoedByTheProviderAreBlankedOutOfMessages() {
        stub.stubFor(get("/x").willReturn(aResponse().withStatus(401).withBody("bad key sk-secret-123")));

        ProviderException e = assertThrows(ProviderException.class, () -> recorded(http()).get("/x", b -> b));

        assertEquals(ProviderException.Kind.UNAUTHORIZED, e.kind());
        assertFalse(e.getMessage().contains("sk-secret-123"), e.getMessage());
        assertTrue(e.getMessage().contains("bad key ***"), e.getMessage());
    }

    @Test
    void errorReaderShapesTheProviderMessage() {
        stub.stubFor(get("/x").willReturn(aResponse().withStatus(400).withBody("{\"msg\":\"bad filter\"}")));
        ProviderHttp http = recorded(http().errorMessages((status, body) -> body.contains("bad filter") ? "bad filter" : body));

        ProviderException e = assertThrows(ProviderException.class, () -> http.get("/x", b -> b));

        assertEquals(ProviderException.Kind.INVALID_REQUEST, e.kind());
        assertEquals(400, e.httpStatus());
        assertEquals("test: GET /x answered HTTP 400: bad filter", e.getMessage());
    }

    @Test
    void queryValuesAreEncodedAndNullsSkipped() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("location_ids", "[\"US\"]");
        params.put("skip", null);
        params.put("n", 2);

        assertEquals("/p?location_ids=%5B%22US%22%5D&n=2", ProviderHttp.withQuery("/p", params));
        assertEquals("/p", ProviderHttp.withQuery("/p", Map.of()));
        assertEquals("a%2Fb%20c", ProviderHttp.segment("a/b c"));
    }
}
