package dev.gpuproxy.server.billing;

import static dev.gpuproxy.server.billing.BillingApi.checkoutCompleted;
import static dev.gpuproxy.server.billing.BillingApi.credits;
import static dev.gpuproxy.server.billing.BillingApi.deliver;
import static dev.gpuproxy.server.billing.BillingApi.event;
import static dev.gpuproxy.server.billing.BillingApi.sign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stripe's webhook deliveries, signed with Stripe's scheme: only a verified, paid event credits, and only once. */
@QuarkusTest
@TestProfile(BillingPostgresProfile.class)
class StripeWebhookTest {

    @InjectBillingStubs
    BillingStubs stubs;

    private Api.Account buyer;
    private long paymentId;
    private String sessionId;
    private String intentId;

    /** A $25 Checkout payment (250 credits) waiting for Stripe. */
    @BeforeEach
    void pendingCheckoutPayment() {
        stubs.reset();
        buyer = Api.registerAndLogin("webhook");
        sessionId = "cs_test_" + UUID.randomUUID().toString().replace("-", "");
        intentId = "pi_test_" + UUID.randomUUID().toString().replace("-", "");
        BillingApi.stubCheckoutSession(stubs.stripe(), sessionId);
        paymentId = BillingApi.pay(buyer, Map.of("amount", 25, "provider", "stripe"), Map.of())
                .then().statusCode(201).extract().jsonPath().getLong("payment.id");
    }

    private String completed(String eventId) {
        return event(eventId, "checkout.session.completed",
                checkoutCompleted(sessionId, paymentId, 2500, "paid", intentId));
    }

    private static String eventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    private String status() {
        return BillingApi.payment(buyer, paymentId).jsonPath().getString("status");
    }

    @Test
    void signedPaidCheckoutCompletionCreditsThePayment() {
        String id = eventId();

        Response response = deliver(completed(id));

        response.then().statusCode(200);
        assertThat(response.jsonPath().getString("event_id")).isEqualTo(id);
        assertThat(response.jsonPath().getString("outcome")).isEqualTo("credited");
        assertThat(credits(buyer)).isEqualByComparingTo("250");
        assertThat(status()).isEqualTo("succeeded");
        var ledger = buyer.asUser().get("/api/v1/credits/ledger").jsonPath();
        assertThat(ledger.getList("data.kind")).containsExactly("topup");
    }

    @Test
    void badSignatureIsRefusedAndCreditsNothing() {
        String payload = completed(eventId());

        Response wrongSecret = deliver(payload, sign(payload, "whsec_someone_else", BillingApi.now()));
        Response tampered = deliver(payload.replace("2500", "250000"), sign(payload, BillingStubs.WEBHOOK_SECRET,
                BillingApi.now()));
        Response garbage = deliver(payload, "t=" + BillingApi.now() + ",v1=deadbeef");
        Response missing = io.restassured.RestAssured.given().contentType("application/json").body(payload)
                .post("/api/v1/billing/webhooks/stripe");

        for (Response refused : List.of(wrongSecret, tampered, garbage, missing)) {
            refused.then().statusCode(400);
            assertThat(refused.jsonPath().getString("code")).isEqualTo("invalid_signature");
        }
        assertThat(credits(buyer)).isEqualByComparingTo("0");
        assertThat(status()).isEqualTo("pending");
    }

    @Test
    void staleTimestampIsRefusedEvenWithTheRightSecret() {
        String payload = completed(eventId());

        Response stale = deliver(payload, sign(payload, BillingStubs.WEBHOOK_SECRET, BillingApi.now() - 600));

        stale.then().statusCode(400);
        assertThat(stale.jsonPath().getString("code")).isEqualTo("invalid_signature");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void replayedEventIsAcknowledgedButCreditsOnce() {
        String payload = completed(eventId());

        deliver(payload).then().statusCode(200);
        Response replay = deliver(payload);

        replay.then().statusCode(200);
        assertThat(replay.jsonPath().getString("outcome")).isEqualTo("duplicate");
        assertThat(credits(buyer)).isEqualByComparingTo("250");
        assertThat(BillingApi.ledgerEntries(buyer)).isEqualTo(1);
    }

    @Test
    void concurrentDeliveriesOfOneEventCreditOnce() throws Exception {
        String payload = completed(eventId());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(pool.submit(() -> {
                start.await();
                return deliver(payload).statusCode();
            }));
        }
        start.countDown();
        for (Future<Integer> status : statuses) {
            assertThat(status.get()).isEqualTo(200);
        }
        pool.shutdown();

        assertThat(credits(buyer)).isEqualByComparingTo("250");
        assertThat(BillingApi.ledgerEntries(buyer)).isEqualTo(1);
    }

    @Test
    void unknownEventTypeIsAcknowledgedAndChangesNothing() {
        Response response = deliver(event(eventId(), "customer.subscription.trial_will_end",
                "{\"id\":\"sub_1\",\"object\":\"subscription\",\"metadata\":{\"gpuproxy_payment_id\":\"" + paymentId + "\"}}"));

        response.then().statusCode(200);
        assertThat(response.jsonPath().getString("outcome")).isEqualTo("ignored");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
        assertThat(status()).isEqualTo("pending");
    }

    @Test
    void unpaidCompletionCreditsNothingUntilTheAsyncPaymentSucceeds() {
        Response unpaid = deliver(event(eventId(), "checkout.session.completed",
                checkoutCompleted(sessionId, paymentId, 2500, "unpaid", intentId)));

        assertThat(unpaid.jsonPath().getString("outcome")).isEqualTo("awaiting_payment");
        assertThat(credits(buyer)).isEqualByComparingTo("0");

        Response paid = deliver(event(eventId(), "checkout.session.async_payment_succeeded",
                checkoutCompleted(sessionId, paymentId, 2500, "paid", intentId)));

        assertThat(paid.jsonPath().getString("outcome")).isEqualTo("credited");
        assertThat(credits(buyer)).isEqualByComparingTo("250");
    }

    @Test
    void paymentIntentSucceededAndCheckoutCompletedInEitherOrderCreditOnce() {
        Response intentFirst = deliver(event(eventId(), "payment_intent.succeeded",
                BillingApi.paymentIntent(intentId, paymentId, 2500)));
        Response sessionLater = deliver(completed(eventId()));

        assertThat(intentFirst.jsonPath().getString("outcome")).isEqualTo("credited");
        assertThat(sessionLater.jsonPath().getString("outcome")).isEqualTo("already_succeeded");
        assertThat(credits(buyer)).isEqualByComparingTo("250");
        assertThat(BillingApi.ledgerEntries(buyer)).isEqualTo(1);
    }

    @Test
    void expiredSessionCancelsThePendingPayment() {
        Response response = deliver(event(eventId(), "checkout.session.expired",
                checkoutCompleted(sessionId, paymentId, 2500, "unpaid", intentId)));

        assertThat(response.jsonPath().getString("outcome")).isEqualTo("canceled");
        assertThat(status()).isEqualTo("canceled");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void underpaidSessionIsNotCredited() {
        Response response = deliver(event(eventId(), "checkout.session.completed",
                checkoutCompleted(sessionId, paymentId, 100, "paid", intentId)));

        assertThat(response.jsonPath().getString("outcome")).isEqualTo("amount_mismatch");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void refundAfterCreditTakesTheCreditsBack() {
        deliver(completed(eventId())).then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("250");

        Response refund = deliver(event(eventId(), "charge.refunded",
                BillingApi.charge("ch_full", intentId, 2500, 2500, "{}")));

        assertThat(refund.jsonPath().getString("outcome")).isEqualTo("refunded");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
        assertThat(status()).isEqualTo("refunded");
        assertThat(new java.math.BigDecimal(BillingApi.payment(buyer, paymentId).jsonPath().getString("credits_reversed")))
                .isEqualByComparingTo("250");
    }

    @Test
    void partialRefundsTakeBackTheirShareOnce() {
        deliver(completed(eventId())).then().statusCode(200);

        String tenDollars = event(eventId(), "charge.refunded", BillingApi.charge("ch_part", intentId, 2500, 1000, "{}"));
        deliver(tenDollars).then().statusCode(200);
        deliver(tenDollars).then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("150");
        assertThat(status()).isEqualTo("succeeded");

        // Stripe reports the cumulative refund: 25 of 25 dollars now.
        deliver(event(eventId(), "charge.refunded", BillingApi.charge("ch_part", intentId, 2500, 2500, "{}")))
                .then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("0");
        assertThat(status()).isEqualTo("refunded");
    }

    @Test
    void disputeTakesCreditsBackAndAWonDisputeRestoresThem() {
        deliver(completed(eventId())).then().statusCode(200);

        Response opened = deliver(event(eventId(), "charge.dispute.created",
                BillingApi.dispute("dp_1", intentId, 2500, "needs_response")));

        assertThat(opened.jsonPath().getString("outcome")).isEqualTo("disputed");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
        assertThat(status()).isEqualTo("disputed");

        deliver(event(eventId(), "charge.dispute.closed", BillingApi.dispute("dp_1", intentId, 2500, "won")))
                .then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("250");
        assertThat(status()).isEqualTo("succeeded");
    }

    @Test
    void refundDeliveredBeforeThePaymentEventLeavesNothingCredited() {
        Response early = deliver(event(eventId(), "charge.refunded", BillingApi.charge("ch_early", intentId, 2500, 2500,
                "{\"gpuproxy_payment_id\":\"" + paymentId + "\"}")));
        assertThat(early.jsonPath().getString("outcome")).isEqualTo("refunded");

        Response late = deliver(completed(eventId()));

        assertThat(late.jsonPath().getString("outcome")).isEqualTo("already_refunded");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
        assertThat(status()).isEqualTo("refunded");
    }

    @Test
    void eventsForPaymentsThisServerDoesNotKnowAreAcknowledged() {
        Response response = deliver(event(eventId(), "payment_intent.succeeded",
                "{\"id\":\"pi_not_ours\",\"object\":\"payment_intent\",\"amount_received\":999,\"currency\":\"usd\","
                        + "\"metadata\":{}}"));

        response.then().statusCode(200);
        assertThat(response.jsonPath().getString("outcome")).isEqualTo("unknown_payment");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }
}
