package dev.gpuproxy.server.billing;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.gpuproxy.server.billing.BillingApi.credits;
import static dev.gpuproxy.server.billing.BillingApi.deliver;
import static dev.gpuproxy.server.billing.BillingApi.event;
import static dev.gpuproxy.server.billing.BillingApi.json;
import static dev.gpuproxy.server.billing.BillingApi.pay;
import static dev.gpuproxy.server.billing.BillingApi.verify;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The money paths on the embedded SQLite file, where one connection serialises every transaction. */
@QuarkusTest
@TestProfile(BillingSqliteProfile.class)
class BillingOnSqliteTest {

    @InjectBillingStubs
    BillingStubs stubs;

    @BeforeEach
    void reset() {
        stubs.reset();
    }

    @Test
    void stripeWebhookCreditsOnceAndARefundTakesItBack() {
        Api.Account buyer = Api.registerAndLogin("sqlite-stripe");
        BillingApi.stubCheckoutSession(stubs.stripe(), "cs_test_sqlite");
        long paymentId = pay(buyer, Map.of("amount", 25, "provider", "stripe"), Map.of())
                .then().statusCode(201).extract().jsonPath().getLong("payment.id");
        String paid = event("evt_sqlite_paid", "checkout.session.completed",
                BillingApi.checkoutCompleted("cs_test_sqlite", paymentId, 2500, "paid", "pi_test_sqlite"));

        deliver(paid).then().statusCode(200);
        deliver(paid).then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("250");

        deliver(event("evt_sqlite_refund", "charge.refunded",
                BillingApi.charge("ch_sqlite", "pi_test_sqlite", 2500, 2500, "{}"))).then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("0");
        assertThat(BillingApi.payment(buyer, paymentId).jsonPath().getString("status")).isEqualTo("refunded");
    }

    @Test
    void cryptoHashSubmittedByTwoUsersAtOnceCreditsOnlyTheOwnerOnce() throws Exception {
        Api.Account alice = Api.registerAndLogin("sqlite-alice");
        Api.Account bob = Api.registerAndLogin("sqlite-bob");
        CryptoPaymentsTest.Deposit alicesPayment = CryptoPaymentsTest.deposit(alice, "0.01", "ETH");
        long bobsPayment = CryptoPaymentsTest.cryptoPayment(bob, "0.01", "ETH", Map.of());
        String tx = stubs.chain().sendEth(1, alicesPayment.address(), CryptoPaymentsTest.CENTI_ETH);
        stubs.chain().mine(2);

        List<Response> answers = CryptoPaymentsTest.atOnce(() -> verify(alice, alicesPayment.id(), tx),
                () -> verify(alice, alicesPayment.id(), tx), () -> verify(bob, bobsPayment, tx));

        assertThat(answers.get(0).statusCode()).isEqualTo(200);
        assertThat(answers.get(1).statusCode()).isEqualTo(200);
        assertThat(answers.get(2).statusCode()).isIn(409, 422);
        assertThat(credits(alice)).isEqualByComparingTo("200");
        assertThat(credits(bob)).isEqualByComparingTo("0");
    }

    @Test
    void afterDarkChargeCreditsAtOnce() {
        Api.Account buyer = Api.registerAndLogin("sqlite-afterdark");
        stubs.afterDark().stubFor(post(urlEqualTo("/checkout")).willReturn(json(200, "{\"transaction_id\":\"adx_sqlite\"}")));

        pay(buyer, Map.of("amount", 3, "provider", "afterdark"), Map.of("Idempotency-Key", "sqlite-1"))
                .then().statusCode(201);
        pay(buyer, Map.of("amount", 3, "provider", "afterdark"), Map.of("Idempotency-Key", "sqlite-1"))
                .then().statusCode(201).header("Idempotent-Replayed", "true");

        assertThat(credits(buyer)).isEqualByComparingTo("30");
    }

    @Test
    void cryptoPaymentShortOfConfirmationsIsCreditedAfterMoreBlocks() {
        Api.Account buyer = Api.registerAndLogin("sqlite-eth");
        CryptoPaymentsTest.Deposit payment = CryptoPaymentsTest.deposit(buyer, "0.01", "ETH");
        String tx = stubs.chain().sendEth(2, payment.address(), CryptoPaymentsTest.CENTI_ETH);

        verify(buyer, payment.id(), tx).then().statusCode(202);
        stubs.chain().mine(2);
        verify(buyer, payment.id(), tx).then().statusCode(200);

        assertThat(credits(buyer)).isEqualByComparingTo("200");
    }
}
