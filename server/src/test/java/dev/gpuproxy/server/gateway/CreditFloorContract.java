package dev.gpuproxy.server.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.LedgerEntryView;
import dev.gpuproxy.server.credit.service.UsageMeter;
import dev.gpuproxy.server.credit.service.WalletView;
import dev.gpuproxy.server.testsupport.Api;
import dev.gpuproxy.server.gateway.admission.SpendGuard;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overage cap is a hard floor for inference traffic, tried the way a careless or greedy client would: many requests
 * at once, no max_tokens, a backend that generates more than asked. Run per database by the subclasses.
 */
abstract class CreditFloorContract {

    /** PRICE_PER_1K_INPUT_TOKENS and PRICE_PER_1K_OUTPUT_TOKENS defaults, in micro-credits per token. */
    private static final long INPUT_MICROS = 500;
    private static final long OUTPUT_MICROS = 1500;

    static final GreedyUpstream UPSTREAM = new GreedyUpstream();

    @TestHTTPResource("/v1/chat/completions")
    URL chat;

    @Inject
    CreditService credits;
    @Inject
    UsageMeter meter;
    @Inject
    SpendGuard guard;

    private Api.Account tenant;
    private String key;
    private String model;

    @BeforeEach
    void setUp() {
        UPSTREAM.reset();
        Api.Account admin = Api.admin();
        tenant = Api.registerAndLogin("floor");
        key = Api.createApiKey(tenant, "floor");
        model = "floor-" + UUID.randomUUID().toString().substring(0, 8);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("name", model)).post("/api/v1/admin/pools")
                .then().statusCode(201);
        admin.asUser().contentType(ContentType.JSON).body(Map.of("pool", model, "kind", "openai", "url",
                UPSTREAM.baseUrl())).post("/api/v1/admin/backends").then().statusCode(201);
    }

    @AfterAll
    static void stop() {
        UPSTREAM.close();
    }

    private void fund(String credits, String cap) {
        this.credits.add(tenant.id(), CreditService.Kind.GRANT, Credits.parse(new BigDecimal(credits), "grant"),
                "test", "t:" + UUID.randomUUID());
        this.credits.configure(tenant.id(), Credits.parse(new BigDecimal(cap), "cap"), null, null, null);
    }

    private String body(String extra) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"write a long story\"}]"
                + extra + "}";
    }

    private static long cost(long in, long out) {
        return in * INPUT_MICROS + out * OUTPUT_MICROS;
    }

    /** The wallet after every metered request reached the ledger. */
    private WalletView settledWallet() {
        meter.flush();
        return credits.wallet(tenant.id());
    }

    private List<LedgerEntryView> usageEntries() {
        return credits.ledger(tenant.id(), null, 500).stream().filter(e -> e.kind().equals("usage")).toList();
    }

    @Test
    void thirtyConcurrentCompletionsNeverTakeTheWalletBelowItsCap() {
        fund("2", "0.5");
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // Half leave max_tokens out (the backend then writes 2,000 tokens = 3 credits), half ask for 300.
            String extra = i % 2 == 0 ? "" : ",\"max_tokens\":300";
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(chat.toString()))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(extra))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        int admitted = 0;
        for (var call : calls) {
            HttpResponse<String> response = call.join();
            assertThat(response.statusCode()).as(response.body()).isIn(200, 402);
            admitted += response.statusCode() == 200 ? 1 : 0;
        }
        assertThat(admitted).isPositive();

        // A client may read its answer a moment before the gateway settles that request's hold.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> guard.heldMicros(tenant.id()) == 0);
        WalletView wallet = settledWallet();
        BigDecimal balance = wallet.creditsRemaining().subtract(wallet.creditsOverage());
        BigDecimal charged = usageEntries().stream().map(LedgerEntryView::amount).reduce(BigDecimal.ZERO,
                BigDecimal::add).negate();
        assertThat(balance).as("never below the cap of 0.5").isGreaterThanOrEqualTo(new BigDecimal("-0.5"));
        assertThat(balance).as("the wallet is the sum of its ledger").isEqualByComparingTo(
                new BigDecimal("2").subtract(charged));
        assertThat(charged).as("what was used is charged").isPositive();

        // Every hold of the burst was released: the next request gets the most the whole remaining credit pays for.
        long remaining = balance.add(new BigDecimal("0.5")).movePointRight(6).longValueExact();
        String next = body("");
        long prompt = next.length() / 4;
        long affordable = Math.min(1024, (remaining - cost(prompt, 0)) / OUTPUT_MICROS);
        if (affordable >= 1) {
            UPSTREAM.maxTokensSeen.clear();
            given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(next)
                    .post("/v1/chat/completions").then().statusCode(200);
            assertThat(UPSTREAM.maxTokensSeen).containsExactly(affordable);
        }
    }

    @Test
    void aRequestWithoutMaxTokensGetsTheMostItsCreditPaysFor() {
        fund("0.3", "0");
        String body = body("");
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions").then().statusCode(200);
        long prompt = body.length() / 4;
        long affordable = (300_000 - cost(prompt, 0)) / OUTPUT_MICROS;
        assertThat(UPSTREAM.maxTokensSeen).containsExactly(affordable);
        assertThat(cost(prompt, affordable)).isLessThanOrEqualTo(300_000);
        WalletView wallet = settledWallet();
        assertThat(wallet.creditsOverage()).isEqualByComparingTo("0");

        // A caller whose credit pays for more gets DEFAULT_MAX_TOKENS, and a max_tokens of its own is left alone.
        fund("100", "0");
        UPSTREAM.maxTokensSeen.clear();
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body("")).post(
                "/v1/chat/completions").then().statusCode(200);
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body(",\"max_tokens\":77"))
                .post("/v1/chat/completions").then().statusCode(200);
        assertThat(UPSTREAM.maxTokensSeen).containsExactly(1024L, 77L);
    }

    @Test
    void aStreamThatOutrunsItsHoldIsCutCleanlyAndChargedWhatWasDelivered() {
        fund("100", "0");
        UPSTREAM.ignoreMaxTokens = true;
        String body = body(",\"stream\":true,\"max_tokens\":50");
        String answer = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();

        String[] events = answer.split("\n\n");
        long delivered = java.util.Arrays.stream(events).filter(e -> e.contains("chat.completion.chunk")).count();
        // The hold pays for the body's estimate plus 50 tokens; a cut stream is charged the message's text only, so
        // the events that fit are those the hold pays for after that smaller prompt.
        long hold = cost(body.length() / 4, 50);
        long prompt = "write a long story".length() / 4;
        assertThat(delivered).isBetween(1L, (hold - cost(prompt, 0)) / OUTPUT_MICROS);
        assertThat(events[events.length - 1]).startsWith("data: {\"error\"").contains("\"code\":\"credit_exhausted\"");
        for (String event : events) {
            assertThat(event).as("every event arrives whole").startsWith("data: {").endsWith("}");
        }
        assertThat(answer).doesNotContain("[DONE]");
        WalletView wallet = settledWallet();
        assertThat(usageEntries()).singleElement().satisfies(entry -> assertThat(entry.amount())
                .isEqualByComparingTo(Credits.toDecimal(-cost(prompt, delivered))));
        assertThat(wallet.creditsRemaining()).isGreaterThan(new BigDecimal("99"));
    }

    @Test
    void maxTokensThatIsNotAWholeNumberInRangeIs400InOpenAisShape() {
        fund("10", "0");
        Map<String, String> cases = Map.of("\"abc\"", "invalid_type", "true", "invalid_type", "[]", "invalid_type",
                "{}", "invalid_type", "1.5", "invalid_type", "0", "integer_below_min_value", "-3",
                "integer_below_min_value", "4294967297", "integer_above_max_value", "1e400", "invalid_type");
        cases.forEach((value, code) -> given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(body(",\"max_tokens\":" + value)).post("/v1/chat/completions").then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("max_tokens"))
                .body("error.code", equalTo(code)));
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body(body(",\"max_completion_tokens\":\"many\"")).post("/v1/chat/completions").then()
                .statusCode(400).body("error.param", equalTo("max_completion_tokens"));
        assertThat(UPSTREAM.maxTokensSeen).isEmpty();
    }

    @Test
    void trailingContentAfterTheJsonBodyIs400() {
        fund("10", "0");
        for (String trailing : List.of(" garbage", "}", " {\"model\":\"other\"}")) {
            given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body("") + trailing)
                    .post("/v1/chat/completions").then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"));
        }
        assertThat(UPSTREAM.maxTokensSeen).isEmpty();
    }
}
