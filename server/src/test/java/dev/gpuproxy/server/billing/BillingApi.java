package dev.gpuproxy.server.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.gpuproxy.server.testsupport.Api;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Drives the billing API as a client would, and speaks Stripe's wire format for the stand-in. */
final class BillingApi {

    private BillingApi() {
    }

    static Response pay(Api.Account account, Map<String, ?> body, Map<String, String> headers) {
        return account.asUser().contentType(ContentType.JSON).headers(headers).body(body)
                .post("/api/v1/billing/payment");
    }

    static Response verify(Api.Account account, long paymentId, String txHash) {
        return account.asUser().contentType(ContentType.JSON)
                .body(Map.of("payment_id", paymentId, "tx_hash", txHash))
                .post("/api/v1/billing/crypto/verify");
    }

    static Response payment(Api.Account account, long paymentId) {
        return account.asUser().get("/api/v1/billing/transactions/" + paymentId);
    }

    /** The caller's credits_remaining (GET /api/v1/credits). */
    static BigDecimal credits(Api.Account account) {
        return new BigDecimal(account.asUser().get("/api/v1/credits").then().statusCode(200)
                .extract().jsonPath().getString("credits_remaining"));
    }

    /** How many ledger entries the caller has. */
    static int ledgerEntries(Api.Account account) {
        return account.asUser().queryParam("limit", 100).get("/api/v1/credits/ledger").then().statusCode(200)
                .extract().jsonPath().getList("data").size();
    }

    // --- Stripe's side ------------------------------------------------------------------------------------------

    static void stubCheckoutSession(WireMockServer stripe, String sessionId) {
        stripe.stubFor(post(urlEqualTo("/v1/checkout/sessions")).willReturn(json(200, """
                {"id":"%s","object":"checkout.session","mode":"payment","status":"open","payment_status":"unpaid",
                 "url":"https://checkout.stripe.com/c/pay/%s","currency":"usd","payment_intent":null}"""
                .formatted(sessionId, sessionId))));
    }

    static void stubCustomer(WireMockServer stripe, String customerId) {
        stripe.stubFor(post(urlEqualTo("/v1/customers")).willReturn(json(200, """
                {"id":"%s","object":"customer"}""".formatted(customerId))));
    }

    static void stubPaymentIntent(WireMockServer stripe, String intentId, String status) {
        stripe.stubFor(post(urlEqualTo("/v1/payment_intents")).willReturn(json(200, """
                {"id":"%s","object":"payment_intent","amount":2500,"currency":"usd","status":"%s",
                 "client_secret":"%s_secret_test"}""".formatted(intentId, status, intentId))));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("Request-Id", "req_test").withBody(body);
    }

    /** A form-encoded Stripe request body as key -> value, keys with their brackets decoded. */
    static Map<String, String> form(LoggedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** A Stripe event envelope around {@code object}. */
    static String event(String id, String type, String object) {
        return """
                {"id":"%s","object":"event","api_version":"2025-09-30.clover","created":%d,"livemode":false,
                 "pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"%s",
                 "data":{"object":%s}}""".formatted(id, System.currentTimeMillis() / 1000, type, object);
    }

    /** Stripe's signature scheme: {@code t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the whsec secret>}. */
    static String sign(String payload, String secret, long timestamp) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** Delivers a webhook as Stripe does: the exact bytes, signed. */
    static Response deliver(String payload, String signature) {
        return given().contentType("application/json; charset=utf-8").header("Stripe-Signature", signature)
                .body(payload.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/billing/webhooks/stripe");
    }

    static Response deliver(String payload) {
        return deliver(payload, sign(payload, BillingStubs.WEBHOOK_SECRET, now()));
    }

    static String checkoutCompleted(String sessionId, long paymentId, long amountCents, String paymentStatus,
                                    String paymentIntent) {
        return """
                {"id":"%s","object":"checkout.session","mode":"payment","status":"complete","payment_status":"%s",
                 "amount_total":%d,"currency":"usd","client_reference_id":"%d","payment_intent":"%s",
                 "metadata":{"gpuproxy_payment_id":"%d"}}"""
                .formatted(sessionId, paymentStatus, amountCents, paymentId, paymentIntent, paymentId);
    }

    static String paymentIntent(String intentId, long paymentId, long amountCents) {
        return """
                {"id":"%s","object":"payment_intent","status":"succeeded","amount":%d,"amount_received":%d,
                 "currency":"usd","metadata":{"gpuproxy_payment_id":"%d"}}"""
                .formatted(intentId, amountCents, amountCents, paymentId);
    }

    static String charge(String chargeId, String paymentIntent, long amountCents, long refundedCents, String metadata) {
        return """
                {"id":"%s","object":"charge","amount":%d,"amount_refunded":%d,"refunded":%s,"currency":"usd",
                 "payment_intent":"%s","metadata":%s}"""
                .formatted(chargeId, amountCents, refundedCents, refundedCents >= amountCents, paymentIntent, metadata);
    }

    static String dispute(String disputeId, String paymentIntent, long amountCents, String status) {
        return """
                {"id":"%s","object":"dispute","amount":%d,"currency":"usd","charge":"ch_disputed",
                 "payment_intent":"%s","status":"%s","reason":"fraudulent","metadata":{}}"""
                .formatted(disputeId, amountCents, paymentIntent, status);
    }
}
