package dev.gpuproxy.server.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.gpuproxy.server.billing.BillingApi.credits;
import static dev.gpuproxy.server.billing.BillingApi.json;
import static dev.gpuproxy.server.billing.BillingApi.pay;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invoicing through AfterDark (a local stand-in of {@code POST /checkout}): a timeout of 700 ms per call, three
 * attempts, one reference per payment.
 */
@QuarkusTest
@TestProfile(BillingPostgresProfile.class)
class AfterDarkPaymentsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectBillingStubs
    BillingStubs stubs;

    @BeforeEach
    void reset() {
        stubs.reset();
    }

    private List<LoggedRequest> checkoutCalls() {
        return stubs.afterDark().findAll(postRequestedFor(urlEqualTo("/checkout")));
    }

    @Test
    void successfulChargeCreditsAtOnceAndSendsNoCardData() throws Exception {
        Api.Account buyer = Api.registerAndLogin("afterdark");
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).willReturn(json(200, "{\"transaction_id\":\"adx_1001\"}")));

        Response response = pay(buyer, Map.of("amount", "12.50", "provider", "afterdark"), Map.of());

        response.then().statusCode(201);
        long paymentId = response.jsonPath().getLong("payment.id");
        assertThat(response.jsonPath().getString("payment.status")).isEqualTo("succeeded");
        assertThat(response.jsonPath().getString("payment.external_id")).isEqualTo("adx_1001");
        assertThat(response.jsonPath().getString("next.transaction_id")).isEqualTo("adx_1001");
        assertThat(credits(buyer)).isEqualByComparingTo("125");

        LoggedRequest call = checkoutCalls().get(0);
        assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + BillingStubs.AFTERDARK_KEY);
        assertThat(call.getHeader("Idempotency-Key")).isEqualTo("gpuproxy-payment-" + paymentId);
        JsonNode body = JSON.readTree(call.getBodyAsString());
        assertThat(body.path("amount").asText()).isEqualTo("12.50");
        assertThat(body.path("currency").asText()).isEqualTo("usd");
        assertThat(body.path("payment_method").asText()).isEqualTo("account_on_file");
        assertThat(body.path("reference").asText()).isEqualTo("gpuproxy-payment-" + paymentId);
        assertThat(call.getBodyAsString()).doesNotContainPattern("\\d{12,}").doesNotContain("card");
    }

    @Test
    void declinedChargeFailsThePaymentAndCreditsNothing() {
        Api.Account buyer = Api.registerAndLogin("addecline");
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout"))
                .willReturn(json(402, "{\"error\":\"account has no valid payment method\"}")));

        Response response = pay(buyer, Map.of("amount", 20, "provider", "AfterDark"), Map.of());

        response.then().statusCode(402);
        assertThat(response.jsonPath().getString("code")).isEqualTo("payment_declined");
        assertThat(response.jsonPath().getString("detail")).contains("no valid payment method");
        assertThat(BillingApi.payment(buyer, response.jsonPath().getLong("payment_id")).jsonPath().getString("status"))
                .isEqualTo("failed");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
        assertThat(checkoutCalls()).hasSize(1);
    }

    @Test
    void timedOutCallIsRetriedWithTheSameReferenceAndCreditedOnce() {
        Api.Account buyer = Api.registerAndLogin("adtimeout");
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withFixedDelay(2000).withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("{\"transaction_id\":\"adx_slow\"}"))
                .willSetStateTo("fast"));
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(json(200, "{\"transaction_id\":\"adx_slow\"}")));

        Response response = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), Map.of());

        response.then().statusCode(201);
        assertThat(response.jsonPath().getString("payment.status")).isEqualTo("succeeded");
        List<LoggedRequest> calls = checkoutCalls();
        assertThat(calls).hasSize(2);
        assertThat(calls).extracting(c -> c.getHeader("Idempotency-Key")).containsOnly(calls.get(0).getHeader("Idempotency-Key"));
        assertThat(credits(buyer)).isEqualByComparingTo("100");
    }

    @Test
    void duplicateReferenceAnswerCountsAsTheOriginalCharge() {
        Api.Account buyer = Api.registerAndLogin("addup");
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).willReturn(json(409,
                "{\"error\":\"duplicate_reference\",\"transaction_id\":\"adx_original\"}")));

        Response response = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), Map.of());

        response.then().statusCode(201);
        assertThat(response.jsonPath().getString("payment.external_id")).isEqualTo("adx_original");
        assertThat(response.jsonPath().getBoolean("next.duplicate_reference")).isTrue();
        assertThat(credits(buyer)).isEqualByComparingTo("100");
        assertThat(BillingApi.ledgerEntries(buyer)).isEqualTo(1);
    }

    @Test
    void unavailableForEveryAttemptLeavesThePaymentPendingUntilARetryWithTheSameKey() {
        Api.Account buyer = Api.registerAndLogin("addown");
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).willReturn(json(503, "{\"error\":\"maintenance\"}")));
        Map<String, String> key = Map.of("Idempotency-Key", "invoice-7");

        Response down = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), key);

        down.then().statusCode(502);
        assertThat(down.jsonPath().getString("code")).isEqualTo("payment_provider_unavailable");
        long paymentId = down.jsonPath().getLong("payment_id");
        assertThat(checkoutCalls()).hasSize(3);
        assertThat(BillingApi.payment(buyer, paymentId).jsonPath().getString("status")).isEqualTo("pending");

        stubs.afterDark().resetAll();
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).willReturn(json(200, "{\"transaction_id\":\"adx_late\"}")));
        Response retried = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), key);

        retried.then().statusCode(201);
        assertThat(retried.jsonPath().getLong("payment.id")).isEqualTo(paymentId);
        assertThat(checkoutCalls().get(0).getHeader("Idempotency-Key")).isEqualTo("gpuproxy-payment-" + paymentId);
        assertThat(credits(buyer)).isEqualByComparingTo("100");
        Response replay = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), key);
        replay.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(checkoutCalls()).hasSize(1);
        assertThat(credits(buyer)).isEqualByComparingTo("100");
    }

    @Test
    void conflictWithoutATransactionStaysPendingAndIsAskedAgainWithTheSameReference() {
        Api.Account buyer = Api.registerAndLogin("adconflict");
        // AfterDark knows the reference but has not settled it: it may already have charged the account.
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout"))
                .willReturn(json(409, "{\"error\":\"reference is being processed\"}")));
        Map<String, String> key = Map.of("Idempotency-Key", "invoice-409");

        Response unsure = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), key);

        unsure.then().statusCode(502);
        assertThat(unsure.jsonPath().getString("code")).isNotEqualTo("payment_declined");
        long paymentId = unsure.jsonPath().getLong("payment_id");
        assertThat(BillingApi.payment(buyer, paymentId).jsonPath().getString("status")).isEqualTo("pending");
        assertThat(checkoutCalls()).hasSize(3)
                .extracting(c -> c.getHeader("Idempotency-Key")).containsOnly("gpuproxy-payment-" + paymentId);

        stubs.afterDark().resetAll();
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).willReturn(json(409,
                "{\"error\":\"duplicate_reference\",\"transaction_id\":\"adx_settled\"}")));
        Response retried = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), key);

        retried.then().statusCode(201);
        assertThat(retried.jsonPath().getLong("payment.id")).isEqualTo(paymentId);
        assertThat(retried.jsonPath().getString("payment.external_id")).isEqualTo("adx_settled");
        assertThat(checkoutCalls()).extracting(c -> c.getHeader("Idempotency-Key"))
                .containsExactly("gpuproxy-payment-" + paymentId);
        assertThat(credits(buyer)).isEqualByComparingTo("100");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 422})
    void otherClientErrorsAreNotDeclinesAndLeaveThePaymentPending(int status) {
        Api.Account buyer = Api.registerAndLogin("ad" + status);
        // What a wrong AFTERDARK_API_URL (or a changed contract) answers: nothing says the account cannot pay.
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout"))
                .willReturn(json(status, "{\"error\":\"no such route\"}")));
        Map<String, String> key = Map.of("Idempotency-Key", "invoice-" + status);

        Response response = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), key);

        response.then().statusCode(502);
        assertThat(response.jsonPath().getString("code")).isEqualTo("payment_provider_error");
        assertThat(response.jsonPath().getString("detail")).contains("HTTP " + status).contains("pending");
        long paymentId = response.jsonPath().getLong("payment_id");
        assertThat(BillingApi.payment(buyer, paymentId).jsonPath().getString("status")).isEqualTo("pending");
        assertThat(credits(buyer)).isEqualByComparingTo("0");

        stubs.afterDark().resetAll();
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).willReturn(json(200, "{\"transaction_id\":\"adx_fixed_" + status + "\"}")));
        Response retried = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), key);

        retried.then().statusCode(201);
        assertThat(retried.jsonPath().getLong("payment.id")).isEqualTo(paymentId);
        assertThat(checkoutCalls().get(0).getHeader("Idempotency-Key")).isEqualTo("gpuproxy-payment-" + paymentId);
        assertThat(credits(buyer)).isEqualByComparingTo("100");
    }

    @Test
    void rateLimitedChargeWaitsForRetryAfterBeforeAskingAgain() {
        Api.Account buyer = Api.registerAndLogin("ad429");
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(json(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "2"))
                .willSetStateTo("free"));
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(json(200, "{\"transaction_id\":\"adx_patient\"}")));

        Response response = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), Map.of());

        response.then().statusCode(201);
        List<LoggedRequest> calls = checkoutCalls();
        assertThat(calls).hasSize(2);
        long waitedMillis = calls.get(1).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime();
        assertThat(waitedMillis).isGreaterThanOrEqualTo(1900);
        assertThat(calls).extracting(c -> c.getHeader("Idempotency-Key")).containsOnly(calls.get(0).getHeader("Idempotency-Key"));
        assertThat(credits(buyer)).isEqualByComparingTo("100");
    }

    @Test
    void retryAfterLongerThanARequestCanWaitIsPassedToTheTenantWithThePaymentPending() {
        Api.Account buyer = Api.registerAndLogin("ad429long");
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout"))
                .willReturn(json(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "120")));

        Response response = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), Map.of());

        response.then().statusCode(502).header("Retry-After", "120");
        assertThat(response.jsonPath().getString("code")).isEqualTo("payment_provider_unavailable");
        assertThat(checkoutCalls()).hasSize(1);
        assertThat(BillingApi.payment(buyer, response.jsonPath().getLong("payment_id")).jsonPath().getString("status"))
                .isEqualTo("pending");
    }

    @Test
    void rateLimitedOnEveryAttemptLeavesThePaymentPendingWithTheLastRetryAfter() {
        Api.Account buyer = Api.registerAndLogin("ad429all");
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout"))
                .willReturn(json(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "1")));

        Response response = pay(buyer, Map.of("amount", 10, "provider", "afterdark"), Map.of());

        response.then().statusCode(502).header("Retry-After", "1");
        assertThat(response.jsonPath().getString("code")).isEqualTo("payment_provider_unavailable");
        assertThat(checkoutCalls()).hasSize(3);
        assertThat(BillingApi.payment(buyer, response.jsonPath().getLong("payment_id")).jsonPath().getString("status"))
                .isEqualTo("pending");
    }
}
