package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.LedgerEntryView;
import dev.gpuproxy.server.credit.service.UsageMeter;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.testsupport.LocalHttpServers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream cut before the backend's final usage chunk (the client hung up, the backend died) is charged what was
 * delivered: one output token per event with text, and the prompt estimated from the messages' text only, never more
 * than the same request's complete stream is charged.
 */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class CutStreamChargeTest {

    /** PRICE_PER_1K_INPUT_TOKENS and PRICE_PER_1K_OUTPUT_TOKENS defaults, in micro-credits per token. */
    private static final long INPUT_MICROS = 500;
    private static final long OUTPUT_MICROS = 1500;
    /** 40 characters: 10 prompt tokens by the estimate; the backend reports 12 (its chat template adds some). */
    private static final String MESSAGE = "Tell me a story about a cat in a hat ok.";
    private static final int REPORTED_PROMPT = 12;
    private static final int WHOLE_ANSWER = 8;
    private static final int DELIVERED = 3;

    static final VllmLikeUpstream UPSTREAM = new VllmLikeUpstream();

    @TestHTTPResource("/v1/chat/completions")
    URL chat;

    @Inject
    CreditService credits;
    @Inject
    UsageMeter meter;

    private Api.Account tenant;
    private String key;
    private String model;

    @BeforeEach
    void setUp() {
        UPSTREAM.reset();
        Api.Account admin = Api.admin();
        tenant = Api.registerAndLogin("cut");
        key = Api.createApiKey(tenant, "cut");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 1000 * Credits.MICROS_PER_CREDIT, "test",
                "t:" + UUID.randomUUID());
        model = "cut-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", model)).post("/api/v1/admin/pools")
                .then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", model, "kind", "openai", "url",
                UPSTREAM.baseUrl())).post("/api/v1/admin/backends").then().statusCode(201);
    }

    @AfterEach
    void release() {
        UPSTREAM.resume.countDown();
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private String body(String extra) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + MESSAGE
                + "\"}]" + extra + "}";
    }

    private static long cost(long in, long out) {
        return in * INPUT_MICROS + out * OUTPUT_MICROS;
    }

    /** What the tenant's only usage entry charged, in micro-credits, once the meter wrote it. */
    private long charged() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            meter.flush();
            return !usageEntries().isEmpty();
        });
        List<LedgerEntryView> entries = usageEntries();
        assertThat(entries).hasSize(1);
        return entries.get(0).amount().negate().movePointRight(Credits.SCALE).longValueExact();
    }

    private List<LedgerEntryView> usageEntries() {
        return credits.ledger(tenant.id(), null, 50).stream().filter(e -> e.kind().equals("usage")).toList();
    }

    /** The charge of the same request streamed whole, on a fresh wallet's ledger. */
    private long completeStreamCharge(String body) {
        UPSTREAM.mode = VllmLikeUpstream.Mode.COMPLETE;
        String answer = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        assertThat(answer).contains("[DONE]");
        long whole = charged();
        assertThat(whole).as("a complete stream is charged the backend's usage")
                .isEqualTo(cost(REPORTED_PROMPT, WHOLE_ANSWER));
        return whole;
    }

    /** Sends {@code body}, reads {@value #DELIVERED} text events and hangs up. */
    private void hangUpAfterDelivered(String body) throws Exception {
        UPSTREAM.mode = VllmLikeUpstream.Mode.PAUSE_AFTER_DELIVERED;
        HttpRequest request = HttpRequest.newBuilder(URI.create(chat.toString()))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream in = response.body()) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int received = 0;
            for (String line; received < DELIVERED && (line = lines.readLine()) != null; ) {
                received += line.contains("\"content\":\"w") ? 1 : 0;
            }
            assertThat(received).isEqualTo(DELIVERED);
        }
    }

    @Test
    void aClientHangingUpIsChargedTheEventsItGotAndThePromptsTextNeverMoreThanTheWholeStream() throws Exception {
        String body = body("");
        hangUpAfterDelivered(body);
        long cut = charged();
        assertThat(cut).isEqualTo(cost(MESSAGE.length() / 4, DELIVERED));

        // Same request, fresh wallet, streamed whole.
        setUp();
        assertThat(cut).isLessThanOrEqualTo(completeStreamCharge(body("")));
    }

    @Test
    void aBackendDyingMidStreamIsChargedTheEventsSentBeforeIt() {
        UPSTREAM.mode = VllmLikeUpstream.Mode.DIE_AFTER_DELIVERED;
        String answer = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body(""))
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        assertThat(answer).contains("w2 ").contains("upstream_stream_failed").doesNotContain("w3 ");
        long cut = charged();
        assertThat(cut).isEqualTo(cost(MESSAGE.length() / 4, DELIVERED));

        setUp();
        assertThat(cut).isLessThanOrEqualTo(completeStreamCharge(body("")));
    }

    @Test
    void theRestOfTheBodyDoesNotInflateACutStreamsPromptEstimate() throws Exception {
        // About 2,000 bytes of JSON around a 40-character message: 500 "tokens" by the body's length.
        StringBuilder bias = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            bias.append(i == 0 ? "" : ",").append("\"").append(1000 + i).append("\":-100");
        }
        String padding = ",\"temperature\":0.7,\"top_p\":0.95,\"presence_penalty\":0.1,\"frequency_penalty\":0.2,"
                + "\"user\":\"" + "u".repeat(600) + "\",\"metadata\":{\"trace\":\"" + "t".repeat(300) + "\"},"
                + "\"logit_bias\":{" + bias + "}";
        String body = body(padding);
        assertThat(body.length()).isGreaterThan(2000);

        hangUpAfterDelivered(body);
        long cut = charged();
        assertThat(cut).isEqualTo(cost(MESSAGE.length() / 4, DELIVERED));

        setUp();
        assertThat(cut).isLessThanOrEqualTo(completeStreamCharge(body(padding)));
    }

    /**
     * Streams like vLLM: a role-only first chunk, {@value #WHOLE_ANSWER} one-token chunks, a finish chunk, then the
     * usage-only chunk and [DONE]. It can stop after {@value #DELIVERED} tokens until released (the client may hang
     * up meanwhile) or die there.
     */
    static final class VllmLikeUpstream implements AutoCloseable {

        enum Mode { COMPLETE, PAUSE_AFTER_DELIVERED, DIE_AFTER_DELIVERED }

        private final HttpServer server = LocalHttpServers.start("/", this::handle);
        volatile Mode mode = Mode.COMPLETE;
        volatile CountDownLatch resume = new CountDownLatch(1);

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        void reset() {
            resume.countDown();
            resume = new CountDownLatch(1);
            mode = Mode.COMPLETE;
        }

        @Override
        public void close() {
            resume.countDown();
            server.stop(0);
        }

        private static byte[] event(String json) {
            return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
        }

        private void handle(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            Mode mode = this.mode;
            CountDownLatch resume = this.resume;
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            // Dying midway: promise a long body, send part of it, close the connection.
            exchange.sendResponseHeaders(200, mode == Mode.DIE_AFTER_DELIVERED ? 1_000_000 : 0);
            OutputStream out = exchange.getResponseBody();
            try {
                out.write(event("{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                        + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"));
                for (int i = 0; i < WHOLE_ANSWER; i++) {
                    if (i == DELIVERED && mode == Mode.DIE_AFTER_DELIVERED) {
                        out.flush();
                        exchange.close();
                        return;
                    }
                    if (i == DELIVERED && mode == Mode.PAUSE_AFTER_DELIVERED) {
                        out.flush();
                        resume.await(20, TimeUnit.SECONDS);
                    }
                    out.write(event("{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                            + "{\"content\":\"w" + i + " \"},\"finish_reason\":null}]}"));
                    out.flush();
                }
                out.write(event("{\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
                        + "\"finish_reason\":\"stop\"}]}"));
                out.write(event("{\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                        + REPORTED_PROMPT + ",\"completion_tokens\":" + WHOLE_ANSWER + ",\"total_tokens\":"
                        + (REPORTED_PROMPT + WHOLE_ANSWER) + "}}"));
                out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                out.close();
            } catch (IOException gatewayHungUp) {
                exchange.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
