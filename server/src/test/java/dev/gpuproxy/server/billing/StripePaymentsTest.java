package dev.gpuproxy.server.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.gpuproxy.server.billing.BillingApi.credits;
import static dev.gpuproxy.server.billing.BillingApi.form;
import static dev.gpuproxy.server.billing.BillingApi.json;
import static dev.gpuproxy.server.billing.BillingApi.pay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paying by card through Stripe's API (a local stand-in speaking its form-encoded wire format). */
@QuarkusTest
@TestProfile(BillingPostgresProfile.class)
class StripePaymentsTest {

    @InjectBillingStubs
    BillingStubs stubs;

    @Inject
    CreditService creditService;

    @BeforeEach
    void reset() {
        stubs.reset();
    }

    @Test
    void checkoutPaymentAnswersTheSessionUrlAndCallsStripeWithFormParametersAndIdempotencyKey() {
        Api.Account buyer = Api.registerAndLogin("checkout");
        BillingApi.stubCheckoutSession(stubs.stripe(), "cs_test_checkout1");

        Response response = pay(buyer, Map.of("amount", 25, "currency", "usd", "provider", "stripe"), Map.of());

        response.then().statusCode(201);
        long paymentId = response.jsonPath().getLong("payment.id");
        assertThat(response.header("Location")).endsWith("/api/v1/billing/transactions/" + paymentId);
        assertThat(response.jsonPath().getString("payment.status")).isEqualTo("pending");
        assertThat(response.jsonPath().getString("payment.provider")).isEqualTo("stripe");
        assertThat(new BigDecimal(response.jsonPath().getString("payment.amount"))).isEqualByComparingTo("25.00");
        assertThat(new BigDecimal(response.jsonPath().getString("payment.credits"))).isEqualByComparingTo("250");
        assertThat(response.jsonPath().getString("next.type")).isEqualTo("redirect");
        assertThat(response.jsonPath().getString("next.url")).isEqualTo("https://checkout.stripe.com/c/pay/cs_test_checkout1");
        assertThat(response.jsonPath().getString("next.session_id")).isEqualTo("cs_test_checkout1");

        List<LoggedRequest> calls = stubs.stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")));
        assertThat(calls).hasSize(1);
        LoggedRequest call = calls.get(0);
        assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + BillingStubs.STRIPE_KEY);
        assertThat(call.getHeader("Idempotency-Key")).isEqualTo("gpuproxy-payment-" + paymentId);
        assertThat(call.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(form(call))
                .containsEntry("mode", "payment")
                .containsEntry("client_reference_id", String.valueOf(paymentId))
                .containsEntry("line_items[0][quantity]", "1")
                .containsEntry("line_items[0][price_data][currency]", "usd")
                .containsEntry("line_items[0][price_data][unit_amount]", "2500")
                .containsEntry("metadata[gpuproxy_payment_id]", String.valueOf(paymentId))
                .containsEntry("payment_intent_data[metadata][gpuproxy_payment_id]", String.valueOf(paymentId));
        // Nothing is credited before Stripe's signed webhook says the payment went through.
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void processorIsChosenByTheXBillingHeaderCaseInsensitively() {
        Api.Account buyer = Api.registerAndLogin("xbilling");
        BillingApi.stubCheckoutSession(stubs.stripe(), "cs_test_header");

        pay(buyer, Map.of("amount", "10.00"), Map.of("X-Billing", "Stripe")).then().statusCode(201);

        assertThat(stubs.stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")))).hasSize(1);
        Response conflicting = pay(buyer, Map.of("amount", 10, "provider", "crypto"), Map.of("X-Billing", "STRIPE"));
        conflicting.then().statusCode(400);
        assertThat(conflicting.jsonPath().getString("detail")).contains("X-Billing").contains("provider");
        pay(buyer, Map.of("amount", 10), Map.of()).then().statusCode(400);
        pay(buyer, Map.of("amount", 10, "provider", "paypal"), Map.of()).then().statusCode(400);
    }

    @Test
    void amountsStripeCannotChargeAreRefusedBeforeCallingIt() {
        Api.Account buyer = Api.registerAndLogin("amounts");

        pay(buyer, Map.of("amount", "10.001", "provider", "stripe"), Map.of()).then().statusCode(400);
        pay(buyer, Map.of("amount", "0.10", "provider", "stripe"), Map.of()).then().statusCode(400);
        pay(buyer, Map.of("amount", -5, "provider", "stripe"), Map.of()).then().statusCode(400);
        pay(buyer, Map.of("amount", 10, "currency", "eur", "provider", "stripe"), Map.of()).then().statusCode(400);

        assertThat(stubs.stripe().getAllServeEvents()).isEmpty();
    }

    @Test
    void savedCardTokenConfirmsAPaymentIntentOnTheUsersCustomer() {
        Api.Account buyer = Api.registerAndLogin("pmcard");
        BillingApi.stubCustomer(stubs.stripe(), "cus_test_pm");
        BillingApi.stubPaymentIntent(stubs.stripe(), "pi_test_pm", "requires_action");

        Response response = pay(buyer, Map.of("amount", 25, "provider", "stripe"),
                Map.of("X-Preferred-Payment", "card:pm_card_visa"));

        response.then().statusCode(201);
        long paymentId = response.jsonPath().getLong("payment.id");
        assertThat(response.jsonPath().getString("payment.status")).isEqualTo("pending");
        assertThat(response.jsonPath().getString("payment.payer")).isEqualTo("pm_card_visa");
        assertThat(response.jsonPath().getString("next.type")).isEqualTo("confirm_card");
        assertThat(response.jsonPath().getString("next.client_secret")).isEqualTo("pi_test_pm_secret_test");
        assertThat(response.jsonPath().getString("next.payment_intent_id")).isEqualTo("pi_test_pm");

        LoggedRequest intent = stubs.stripe().findAll(postRequestedFor(urlEqualTo("/v1/payment_intents"))).get(0);
        assertThat(intent.getHeader("Idempotency-Key")).isEqualTo("gpuproxy-payment-" + paymentId);
        assertThat(form(intent))
                .containsEntry("amount", "2500")
                .containsEntry("currency", "usd")
                .containsEntry("customer", "cus_test_pm")
                .containsEntry("payment_method", "pm_card_visa")
                .containsEntry("confirm", "true")
                .containsEntry("setup_future_usage", "off_session")
                .containsEntry("metadata[gpuproxy_payment_id]", String.valueOf(paymentId));
        LoggedRequest customer = stubs.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers"))).get(0);
        assertThat(customer.getHeader("Idempotency-Key")).isEqualTo("gpuproxy-customer-" + buyer.id());
        assertThat(credits(buyer)).isEqualByComparingTo("0");

        // The second payment reuses the customer instead of creating another.
        BillingApi.stubPaymentIntent(stubs.stripe(), "pi_test_pm_second", "succeeded");
        pay(buyer, Map.of("amount", 5, "provider", "stripe"), Map.of("X-Preferred-Payment", "card:pm_card_visa"))
                .then().statusCode(201);
        assertThat(stubs.stripe().findAll(postRequestedFor(urlEqualTo("/v1/customers")))).hasSize(1);
    }

    @Test
    void declinedCardFailsThePaymentWith402() {
        Api.Account buyer = Api.registerAndLogin("declined");
        BillingApi.stubCustomer(stubs.stripe(), "cus_test_declined");
        stubs.stripe().stubFor(post(urlEqualTo("/v1/payment_intents")).willReturn(json(402, """
                {"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds",
                 "message":"Your card has insufficient funds."}}""")));

        Response response = pay(buyer, Map.of("amount", 25, "provider", "stripe"),
                Map.of("X-Preferred-Payment", "card:pm_card_chargeDeclined"));

        response.then().statusCode(402);
        assertThat(response.jsonPath().getString("code")).isEqualTo("payment_declined");
        assertThat(response.jsonPath().getString("detail")).contains("insufficient funds");
        long paymentId = response.jsonPath().getLong("payment_id");
        assertThat(BillingApi.payment(buyer, paymentId).jsonPath().getString("status")).isEqualTo("failed");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void stripeRefusingTheServersKeyIsAProcessorErrorThatNamesNoSecret() {
        Api.Account buyer = Api.registerAndLogin("badkey");
        stubs.stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(json(401, """
                {"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_test_****pxy"}}""")));

        Response response = pay(buyer, Map.of("amount", 25, "provider", "stripe"), Map.of());

        response.then().statusCode(502);
        assertThat(response.jsonPath().getString("code")).isEqualTo("payment_provider_error");
        assertThat(response.asString()).doesNotContain("sk_test");
        assertThat(BillingApi.payment(buyer, response.jsonPath().getLong("payment_id")).jsonPath().getString("status"))
                .isEqualTo("failed");
    }

    @Test
    void retryWithTheSameIdempotencyKeyReturnsTheFirstAnswerWithoutAskingStripeAgain() {
        Api.Account buyer = Api.registerAndLogin("idem");
        BillingApi.stubCheckoutSession(stubs.stripe(), "cs_test_idem");
        Map<String, String> key = Map.of("Idempotency-Key", "order-42");

        Response first = pay(buyer, Map.of("amount", 25, "provider", "stripe"), key);
        Response again = pay(buyer, Map.of("amount", 25, "provider", "stripe"), key);

        first.then().statusCode(201);
        again.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(again.jsonPath().getLong("payment.id")).isEqualTo(first.jsonPath().getLong("payment.id"));
        assertThat(again.jsonPath().getString("next.url")).isEqualTo(first.jsonPath().getString("next.url"));
        assertThat(stubs.stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions")))).hasSize(1);
        assertThat(buyer.asUser().get("/api/v1/billing/transactions").jsonPath().getInt("total")).isEqualTo(1);

        Response reused = pay(buyer, Map.of("amount", 30, "provider", "stripe"), key);
        reused.then().statusCode(422);
        assertThat(reused.jsonPath().getString("code")).isEqualTo("idempotency_key_reused");
    }

    @Test
    void stripeOutageLeavesThePaymentPendingAndARetryWithTheSameKeyCompletesIt() {
        Api.Account buyer = Api.registerAndLogin("outage");
        stubs.stripe().stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(json(500, """
                {"error":{"type":"api_error","message":"Something went wrong on Stripe's end."}}""")));
        Map<String, String> key = Map.of("Idempotency-Key", "outage-1");

        Response failed = pay(buyer, Map.of("amount", 25, "provider", "stripe"), key);
        failed.then().statusCode(502);
        assertThat(failed.jsonPath().getString("code")).isEqualTo("payment_provider_unavailable");
        long paymentId = failed.jsonPath().getLong("payment_id");
        assertThat(BillingApi.payment(buyer, paymentId).jsonPath().getString("status")).isEqualTo("pending");

        stubs.stripe().resetAll();
        BillingApi.stubCheckoutSession(stubs.stripe(), "cs_test_after_outage");
        Response retried = pay(buyer, Map.of("amount", 25, "provider", "stripe"), key);

        retried.then().statusCode(201);
        assertThat(retried.jsonPath().getLong("payment.id")).isEqualTo(paymentId);
        assertThat(retried.jsonPath().getString("next.session_id")).isEqualTo("cs_test_after_outage");
        LoggedRequest call = stubs.stripe().findAll(postRequestedFor(urlEqualTo("/v1/checkout/sessions"))).get(0);
        assertThat(call.getHeader("Idempotency-Key")).isEqualTo("gpuproxy-payment-" + paymentId);
    }

    @Test
    void rawCardNumberIsRefusedAndNeverStoredLoggedOrEchoed() {
        Api.Account buyer = Api.registerAndLogin("pan");
        String pan = "4242424242424242";
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            for (String header : List.of("card:" + pan, "card:4242 4242 4242 4242", "card:4242-4242-4242-4242", pan)) {
                Response response = pay(buyer, Map.of("amount", 25, "provider", "stripe"),
                        Map.of("X-Preferred-Payment", header, "Idempotency-Key", "pan-" + header.length()));
                response.then().statusCode(400);
                assertThat(response.jsonPath().getString("code")).isEqualTo("raw_card_number_refused");
                assertThat(response.asString()).doesNotContain("4242");
            }
            // Refused on every path, before anything else reads it.
            Response elsewhere = buyer.asUser().header("X-Preferred-Payment", "card:" + pan).get("/api/v1/credits");
            elsewhere.then().statusCode(400);
            assertThat(elsewhere.asString()).doesNotContain("4242");
        } finally {
            root.removeHandler(capture);
        }
        assertThat(logged).noneMatch(line -> line.contains("4242"));
        assertThat(buyer.asUser().get("/api/v1/billing/transactions").jsonPath().getInt("total")).isZero();
        assertThat(stubs.stripe().getAllServeEvents()).isEmpty();
    }

    @Test
    void transactionsArePagedNewestFirstAndScopedToTheCaller() {
        Api.Account owner = Api.registerAndLogin("pages");
        Api.Account other = Api.registerAndLogin("other");
        BillingApi.stubCheckoutSession(stubs.stripe(), "cs_test_page");
        List<Long> ids = new ArrayList<>();
        for (int amount : new int[] {10, 20, 30}) {
            // Each checkout call answers the same session id: give each payment its own.
            stubs.stripe().resetAll();
            BillingApi.stubCheckoutSession(stubs.stripe(), "cs_test_page_" + amount);
            ids.add(pay(owner, Map.of("amount", amount, "provider", "stripe"), Map.of())
                    .then().statusCode(201).extract().jsonPath().getLong("payment.id"));
        }
        stubs.stripe().resetAll();
        BillingApi.stubCheckoutSession(stubs.stripe(), "cs_test_page_other");
        long othersPayment = pay(other, Map.of("amount", 15, "provider", "stripe"), Map.of())
                .then().statusCode(201).extract().jsonPath().getLong("payment.id");

        var firstPage = owner.asUser().queryParam("limit", 2).get("/api/v1/billing/transactions")
                .then().statusCode(200).extract().jsonPath();
        assertThat(firstPage.getInt("total")).isEqualTo(3);
        assertThat(firstPage.getList("data.id", Long.class)).containsExactly(ids.get(2), ids.get(1));
        var secondPage = owner.asUser().queryParam("limit", 2).queryParam("offset", 2)
                .get("/api/v1/billing/transactions").then().statusCode(200).extract().jsonPath();
        assertThat(secondPage.getList("data.id", Long.class)).containsExactly(ids.get(0));
        assertThat(owner.asUser().queryParam("status", "succeeded").get("/api/v1/billing/transactions")
                .jsonPath().getInt("total")).isZero();

        BillingApi.payment(owner, ids.get(0)).then().statusCode(200);
        BillingApi.payment(owner, othersPayment).then().statusCode(404);
        assertThat(BillingApi.payment(owner, othersPayment).asString()).doesNotContain("cs_test_page_other");
        owner.asUser().get("/api/v1/billing/transactions").then().statusCode(200);
        io.restassured.RestAssured.given().get("/api/v1/billing/transactions").then().statusCode(401);
    }

    @Test
    void autoRenewChargesTheSavedCardOffSessionAndTheWebhookCreditsIt() {
        Api.Account buyer = Api.registerAndLogin("autorenew");
        BillingApi.stubCustomer(stubs.stripe(), "cus_test_renew");
        BillingApi.stubPaymentIntent(stubs.stripe(), "pi_test_first", "succeeded");
        pay(buyer, Map.of("amount", 5, "provider", "stripe"), Map.of("X-Preferred-Payment", "card:pm_card_renew"))
                .then().statusCode(201);
        stubs.stripe().resetAll();
        stubs.stripe().stubFor(post(urlEqualTo("/v1/payment_intents")).willReturn(json(200, """
                {"id":"pi_test_renew","object":"payment_intent","amount":500,"currency":"usd","status":"succeeded",
                 "client_secret":"pi_test_renew_secret"}""")));
        long micros = 1_000_000L;
        creditService.add(buyer.id(), CreditService.Kind.GRANT, 100 * micros, "test grant", "test:grant:" + buyer.id());
        creditService.configure(buyer.id(), null, true, 50 * micros, 20 * micros);

        creditService.chargeUsage(buyer.id(), 90 * micros, "test usage", "test:usage:" + buyer.id());

        await().atMost(Duration.ofSeconds(15)).until(() ->
                !stubs.stripe().findAll(postRequestedFor(urlEqualTo("/v1/payment_intents"))).isEmpty());
        LoggedRequest charge = stubs.stripe().findAll(postRequestedFor(urlEqualTo("/v1/payment_intents"))).get(0);
        // 50 credits at 10 credits per dollar: five dollars, charged on the saved card without the user present.
        assertThat(form(charge))
                .containsEntry("amount", "500")
                .containsEntry("customer", "cus_test_renew")
                .containsEntry("payment_method", "pm_card_renew")
                .containsEntry("off_session", "true")
                .containsEntry("confirm", "true");
        long renewalId = Long.parseLong(form(charge).get("metadata[gpuproxy_payment_id]"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "pi_test_renew".equals(BillingApi.payment(buyer, renewalId).jsonPath().getString("external_id")));
        assertThat(credits(buyer)).isEqualByComparingTo("10");

        BillingApi.deliver(BillingApi.event("evt_renew_ok", "payment_intent.succeeded",
                BillingApi.paymentIntent("pi_test_renew", renewalId, 500))).then().statusCode(200);

        assertThat(credits(buyer)).isEqualByComparingTo("60");
        assertThat(BillingApi.payment(buyer, renewalId).jsonPath().getString("status")).isEqualTo("succeeded");
    }
}
