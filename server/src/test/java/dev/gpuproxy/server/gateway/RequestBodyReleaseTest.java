package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.BodyAtEndProbe;
import dev.gpuproxy.server.testsupport.UpstreamStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Once a backend's answer is relayed no other attempt can follow, so the request's body is let go: a stream holds its
 * exchange for minutes, and its prompt, already sent, would otherwise stay in memory with it. Until then the body is
 * kept, for the next attempt.
 */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class RequestBodyReleaseTest {

    static final UpstreamStub UPSTREAM = new UpstreamStub("release");

    @Inject
    CreditService credits;
    @Inject
    BodyAtEndProbe probe;

    private Api.Account admin;
    private String key;

    @BeforeEach
    void setUp() {
        UPSTREAM.reset();
        admin = Api.admin();
        key = Api.fundedApiKey(credits, "release", 100);
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    @Test
    void aRelayedStreamNoLongerHoldsItsBodyAndTheBackendGotItWhole() {
        String model = pool(UPSTREAM.baseUrl());
        String prompt = "x".repeat(64 * 1024);
        String tag = UUID.randomUUID().toString();

        String events = chat(model, prompt, true, tag).then().statusCode(200).extract().asString();

        assertThat(events).contains("data: [DONE]");
        assertThat(UPSTREAM.received()).hasSize(1);
        assertThat(UPSTREAM.received().get(0).body()).contains(prompt);
        assertThat(heldAtEnd(tag)).as("body held when the stream ended").isFalse();
    }

    @Test
    void aRelayedAnswerNoLongerHoldsItsBodyEither() {
        String model = pool(UPSTREAM.baseUrl());
        String tag = UUID.randomUUID().toString();

        chat(model, "hello", false, tag).then().statusCode(200);

        assertThat(heldAtEnd(tag)).isFalse();
    }

    /** The probe sees bodies: a request no backend answered (nothing relayed) ends with its body still held. */
    @Test
    void aRequestNoBackendAnsweredKeepsItsBodyToTheEnd() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String model = pool("http://127.0.0.1:" + closedPort + "/v1");
        String tag = UUID.randomUUID().toString();

        chat(model, "hello", false, tag).then().statusCode(502).body(containsString("unreachable"));

        assertThat(heldAtEnd(tag)).isTrue();
    }

    private Boolean heldAtEnd(String tag) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> probe.heldAtEnd(tag) != null);
        return probe.heldAtEnd(tag);
    }

    private io.restassured.response.Response chat(String model, String prompt, boolean stream, String tag) {
        return given().header("Authorization", "Bearer " + key).header(BodyAtEndProbe.HEADER, tag)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")
                .post("/v1/chat/completions");
    }

    private String pool(String url) {
        return Api.createPool(admin, "release", "round_robin", url);
    }
}
