package dev.gpuproxy.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's Responses API through the gateway with the official OpenAI Java SDK as the client, against two servers that
 * speak the Responses wire format: create, stream, retrieve, continue and delete work as they do direct, each call on
 * a stored response reaches the server that stored it, and usage is charged from the answer's own count.
 */
@QuarkusTest
@TestProfile(GatewayProfile.class)
class ResponsesApiTest {

    static final ResponsesStub ONE = new ResponsesStub("one");
    static final ResponsesStub TWO = new ResponsesStub("two");

    @TestHTTPResource("/v1")
    URL gatewayV1;

    @Inject
    CreditService credits;

    private Api.Account admin;
    private Api.Account tenant;
    private String tenantKey;
    /** One pool for the class: admin calls count against the admin's per-minute rate limit the whole suite shares. */
    private static String model;

    @BeforeEach
    void setUp() {
        ONE.reset();
        TWO.reset();
        tenant = Api.registerAndLogin("resp");
        tenantKey = Api.createApiKey(tenant, "sdk");
        credits.add(tenant.id(), CreditService.Kind.GRANT, 1000 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
        if (model != null) {
            return;
        }
        admin = Api.admin();
        model = "responses-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", model, "strategy", "round_robin"))
                .post("/api/v1/admin/pools").then().statusCode(201);
        for (ResponsesStub stub : List.of(ONE, TWO)) {
            admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", model, "kind", "openai", "url",
                    stub.baseUrl(), "api_keys", List.of("sk-backend-0001"))).post("/api/v1/admin/backends").then()
                    .statusCode(201);
        }
    }

    @AfterAll
    static void stopStubs() {
        ONE.close();
        TWO.close();
    }

    private OpenAIClient sdk(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(gatewayV1.toString()).apiKey(key).maxRetries(0).build();
    }

    private ResponseCreateParams create(String input) {
        return ResponseCreateParams.builder().model(model).input(input).maxOutputTokens(100).build();
    }

    private static String text(Response response) {
        return response.output().get(0).asMessage().content().get(0).asOutputText().text();
    }

    @Test
    void createRetrieveContinueAndDeleteReachTheServerThatStoredTheResponse() {
        OpenAIClient sdk = sdk(tenantKey);
        Response first = sdk.responses().create(create("hello"));
        String firstBackendId = (text(first).endsWith("one") ? ONE : TWO).lastCreated();
        Response second = sdk.responses().create(create("hello again"));
        String secondBackendId = (text(second).endsWith("one") ? ONE : TWO).lastCreated();
        List<String> texts = List.of(text(first), text(second));
        assertThat(texts).containsExactlyInAnyOrder("hello from one", "hello from two");
        // The ids the client sees are sealed: not the servers' own, still "resp_"-prefixed.
        assertThat(first.id()).startsWith("resp_").doesNotContain("one").doesNotContain("two");
        assertThat(ONE.storedIds()).doesNotContain(first.id());

        for (Response created : List.of(first, second)) {
            ResponsesStub holder = text(created).endsWith("one") ? ONE : TWO;
            ResponsesStub other = holder == ONE ? TWO : ONE;
            String backendId = created == first ? firstBackendId : secondBackendId;
            int otherCalls = other.received().size();

            Response again = sdk.responses().retrieve(created.id());
            assertThat(again.id()).isEqualTo(created.id());
            assertThat(text(again)).isEqualTo(text(created));
            assertThat(holder.received()).anySatisfy(r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.path()).isEqualTo("/v1/responses/" + backendId);
            });

            // previous_response_id goes to the holder, unsealed, and the new response comes back sealed to it.
            Response next = sdk.responses().create(ResponseCreateParams.builder().model(model).input("and then?")
                    .previousResponseId(created.id()).maxOutputTokens(100).build());
            assertThat(text(next)).isEqualTo(text(created));
            assertThat(next.previousResponseId()).contains(created.id());
            assertThat(holder.received().get(holder.received().size() - 1).body())
                    .contains("\"previous_response_id\":\"" + backendId + "\"");

            sdk.responses().delete(created.id());
            assertThat(holder.received()).anySatisfy(r -> {
                assertThat(r.method()).isEqualTo("DELETE");
                assertThat(r.path()).isEqualTo("/v1/responses/" + backendId);
            });
            assertThat(other.received()).hasSize(otherCalls);
            assertThatThrownBy(() -> sdk.responses().retrieve(created.id())).isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void streamedEventsArriveAsSentWithSealedIdsAndTheCompletedUsageIsCharged() {
        List<String> deltas = new ArrayList<>();
        String completedId = null;
        long outputTokens = -1;
        try (StreamResponse<ResponseStreamEvent> stream = sdk(tenantKey).responses().createStreaming(create("hi"))) {
            for (ResponseStreamEvent event : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                if (event.isOutputTextDelta()) {
                    deltas.add(event.asOutputTextDelta().delta());
                } else if (event.isCompleted()) {
                    completedId = event.asCompleted().response().id();
                    outputTokens = event.asCompleted().response().usage().orElseThrow().outputTokens();
                }
            }
        }
        assertThat(String.join("", deltas)).matches("hello from (one|two)");
        assertThat(outputTokens).isEqualTo(8);
        assertThat(completedId).startsWith("resp_");
        String streamedId = completedId;
        assertThat(ONE.storedIds()).doesNotContain(streamedId);
        assertThat(TWO.storedIds()).doesNotContain(streamedId);
        // The sealed id from the stream retrieves the stored response.
        assertThat(sdk(tenantKey).responses().retrieve(streamedId).id()).isEqualTo(streamedId);
        assertUsageCharged();
    }

    @Test
    void aStreamedContinuationEndsWithItsCompletedEventThoughItsStoredInputPassesTheHold() {
        Response first = sdk(tenantKey).responses().create(create("hello"));
        boolean completed = false;
        try (StreamResponse<ResponseStreamEvent> stream = sdk(tenantKey).responses().createStreaming(
                ResponseCreateParams.builder().model(model).input("go on").previousResponseId(first.id())
                        .maxOutputTokens(100).build())) {
            for (ResponseStreamEvent event : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                completed |= event.isCompleted();
            }
        }
        assertThat(completed).isTrue();
    }

    @Test
    void aCreatedResponseIsChargedFromItsUsage() {
        sdk(tenantKey).responses().create(create("hello"));
        assertUsageCharged();
    }

    /** 12 input tokens at 0.5/1K + 8 output tokens at 1.5/1K = 0.018 credits. */
    private void assertUsageCharged() {
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(credits.ledger(tenant.id(), null, 10)).anySatisfy(entry -> {
                    assertThat(entry.kind()).isEqualTo("usage");
                    assertThat(entry.amount()).isEqualByComparingTo("-0.018");
                }));
    }

    @Test
    void anotherTenantCannotReadOrContinueAResponse() {
        Response mine = sdk(tenantKey).responses().create(create("secret"));
        Api.Account stranger = Api.registerAndLogin("stranger");
        String strangerKey = Api.createApiKey(stranger, "k");
        credits.add(stranger.id(), CreditService.Kind.GRANT, 10 * Credits.MICROS_PER_CREDIT, "test", "t:" + UUID.randomUUID());
        assertThatThrownBy(() -> sdk(strangerKey).responses().retrieve(mine.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sdk(strangerKey).responses().delete(mine.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sdk(strangerKey).responses().create(ResponseCreateParams.builder().model(model)
                .input("x").previousResponseId(mine.id()).build())).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> sdk(tenantKey).responses().retrieve("resp_forged0123456789"))
                .isInstanceOf(NotFoundException.class);
        assertThat(ONE.received().stream().filter(r -> !r.method().equals("POST"))).isEmpty();
        assertThat(TWO.received().stream().filter(r -> !r.method().equals("POST"))).isEmpty();
    }
}
