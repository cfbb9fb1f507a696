package dev.gpuproxy.server.billing;

import static dev.gpuproxy.server.billing.BillingApi.credits;
import static dev.gpuproxy.server.billing.BillingApi.pay;
import static dev.gpuproxy.server.billing.BillingApi.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Paying in ETH and in an ERC-20 token on a real local Ethereum node (ganache): real transfers, real receipts, real
 * confirmations. The app requires 3 confirmations; 1 ETH = 2000 USD, 1 USDC = 1 USD, 10 credits per USD.
 */
@QuarkusTest
@TestProfile(BillingPostgresProfile.class)
class CryptoPaymentsTest {

    static final BigInteger CENTI_ETH = BigInteger.TEN.pow(16);

    @InjectBillingStubs
    BillingStubs stubs;

    @BeforeEach
    void reset() {
        stubs.reset();
    }

    /** Creates a crypto payment and returns its id. */
    static long cryptoPayment(Api.Account buyer, Object amount, String currency, Map<String, String> headers) {
        return pay(buyer, Map.of("amount", amount, "currency", currency, "provider", "crypto"), headers)
                .then().statusCode(201).extract().jsonPath().getLong("payment.id");
    }

    @Test
    void ethPaymentStaysPendingShortOfConfirmationsAndIsCreditedOnceDeepEnough() {
        Api.Account buyer = Api.registerAndLogin("eth");
        Response created = pay(buyer, Map.of("amount", "0.01", "currency", "eth", "provider", "crypto"), Map.of());
        created.then().statusCode(201);
        long paymentId = created.jsonPath().getLong("payment.id");
        assertThat(created.jsonPath().getString("next.type")).isEqualTo("send_crypto");
        assertThat(created.jsonPath().getString("next.deposit_address")).isEqualTo(stubs.depositAddress().toLowerCase(Locale.ROOT));
        assertThat(created.jsonPath().getString("next.currency")).isEqualTo("ETH");
        assertThat(created.jsonPath().getString("next.amount_base_units")).isEqualTo(CENTI_ETH.toString());
        assertThat(created.jsonPath().getLong("next.chain_id")).isEqualTo(Ganache.CHAIN_ID);
        assertThat(created.jsonPath().getInt("next.required_confirmations")).isEqualTo(3);
        assertThat(new java.math.BigDecimal(created.jsonPath().getString("payment.credits"))).isEqualByComparingTo("200");

        String tx = stubs.chain().sendEth(1, stubs.depositAddress(), CENTI_ETH);
        Response shallow = verify(buyer, paymentId, tx);

        shallow.then().statusCode(202);
        assertThat(shallow.jsonPath().getString("payment.status")).isEqualTo("pending");
        assertThat(shallow.jsonPath().getLong("confirmations")).isEqualTo(1);
        assertThat(shallow.jsonPath().getString("tx_hash")).isEqualTo(tx);
        assertThat(credits(buyer)).isEqualByComparingTo("0");

        stubs.chain().mine(2);
        Response deep = verify(buyer, paymentId, tx);

        deep.then().statusCode(200);
        assertThat(deep.jsonPath().getString("payment.status")).isEqualTo("succeeded");
        assertThat(deep.jsonPath().getLong("confirmations")).isGreaterThanOrEqualTo(3);
        assertThat(credits(buyer)).isEqualByComparingTo("200");
    }

    @Test
    void backgroundRecheckCreditsAPendingPaymentOnceItIsDeepEnough() {
        Api.Account buyer = Api.registerAndLogin("recheck");
        long paymentId = cryptoPayment(buyer, "0.01", "ETH", Map.of());
        String tx = stubs.chain().sendEth(2, stubs.depositAddress(), CENTI_ETH);
        verify(buyer, paymentId, tx).then().statusCode(202);

        stubs.chain().mine(2);

        await().atMost(Duration.ofSeconds(15)).until(() ->
                "succeeded".equals(BillingApi.payment(buyer, paymentId).jsonPath().getString("status")));
        assertThat(credits(buyer)).isEqualByComparingTo("200");
        assertThat(BillingApi.ledgerEntries(buyer)).isEqualTo(1);
    }

    @Test
    void tokenPaymentIsCreditedFromTheTransferLogToTheDepositAddress() {
        Api.Account buyer = Api.registerAndLogin("usdc");
        Response created = pay(buyer, Map.of("amount", "5", "currency", "USDC", "provider", "crypto"), Map.of());
        long paymentId = created.then().statusCode(201).extract().jsonPath().getLong("payment.id");
        assertThat(created.jsonPath().getString("next.token_contract")).isEqualTo(stubs.token().toLowerCase(Locale.ROOT));
        assertThat(created.jsonPath().getString("next.amount_base_units")).isEqualTo("5000000");

        String tx = stubs.chain().transferToken(BillingStubs.TOKEN_HOLDER, stubs.token(), stubs.depositAddress(),
                BigInteger.valueOf(5_000_000));
        stubs.chain().mine(2);
        Response verified = verify(buyer, paymentId, tx);

        verified.then().statusCode(200);
        assertThat(verified.jsonPath().getString("payment.status")).isEqualTo("succeeded");
        assertThat(credits(buyer)).isEqualByComparingTo("50");
    }

    @Test
    void transferToAnotherAddressIsRefused() {
        Api.Account buyer = Api.registerAndLogin("wrongto");
        long eth = cryptoPayment(buyer, "0.01", "ETH", Map.of());
        long usdc = cryptoPayment(buyer, "5", "USDC", Map.of());

        String ethTx = stubs.chain().sendEth(3, Ganache.address(7), CENTI_ETH);
        String tokenTx = stubs.chain().transferToken(BillingStubs.TOKEN_HOLDER, stubs.token(), Ganache.address(7),
                BigInteger.valueOf(5_000_000));
        stubs.chain().mine(3);

        for (Response refused : List.of(verify(buyer, eth, ethTx), verify(buyer, usdc, tokenTx))) {
            refused.then().statusCode(422);
            assertThat(refused.jsonPath().getString("code")).isEqualTo("wrong_recipient");
        }
        assertThat(BillingApi.payment(buyer, eth).jsonPath().getString("status")).isEqualTo("pending");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void transferOfTooLittleIsRefused() {
        Api.Account buyer = Api.registerAndLogin("toolittle");
        long paymentId = cryptoPayment(buyer, "0.01", "ETH", Map.of());

        String tx = stubs.chain().sendEth(3, stubs.depositAddress(), CENTI_ETH.divide(BigInteger.TWO));
        stubs.chain().mine(3);
        Response refused = verify(buyer, paymentId, tx);

        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("amount_too_low");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void failedTransactionIsRefused() {
        Api.Account buyer = Api.registerAndLogin("reverted");
        long paymentId = cryptoPayment(buyer, "5", "USDC", Map.of());

        // Account 6 holds no tokens: the transfer is mined and reverts (receipt status 0).
        String tx = stubs.chain().transferToken(6, stubs.token(), stubs.depositAddress(), BigInteger.valueOf(5_000_000));
        assertThat(stubs.chain().receipt(tx).isStatusOK()).isFalse();
        stubs.chain().mine(3);
        Response refused = verify(buyer, paymentId, tx);

        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("tx_failed");
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void unknownTransactionIsReported() {
        Api.Account buyer = Api.registerAndLogin("unknowntx");
        long paymentId = cryptoPayment(buyer, "0.01", "ETH", Map.of());

        Response response = verify(buyer, paymentId, "0x" + "ab".repeat(32));

        response.then().statusCode(422);
        assertThat(response.jsonPath().getString("code")).isEqualTo("tx_not_found");
        verify(buyer, paymentId, "0x1234").then().statusCode(400);
    }

    @Test
    void sameHashSubmittedTwiceCreditsOnceAndCannotPayASecondPayment() {
        Api.Account buyer = Api.registerAndLogin("twice");
        long paymentId = cryptoPayment(buyer, "0.01", "ETH", Map.of());
        long another = cryptoPayment(buyer, "0.01", "ETH", Map.of());
        String tx = stubs.chain().sendEth(4, stubs.depositAddress(), CENTI_ETH);
        stubs.chain().mine(2);

        verify(buyer, paymentId, tx).then().statusCode(200);
        Response again = verify(buyer, paymentId, tx.toUpperCase(Locale.ROOT).replace("0X", "0x"));
        Response reused = verify(buyer, another, tx);

        again.then().statusCode(200);
        assertThat(again.jsonPath().getString("payment.status")).isEqualTo("succeeded");
        reused.then().statusCode(409);
        assertThat(reused.jsonPath().getString("code")).isEqualTo("tx_already_used");
        assertThat(credits(buyer)).isEqualByComparingTo("200");
        assertThat(BillingApi.ledgerEntries(buyer)).isEqualTo(1);
    }

    @Test
    void sameHashSubmittedByTwoUsersAtOnceCreditsOnlyOne() throws Exception {
        Api.Account alice = Api.registerAndLogin("alice");
        Api.Account bob = Api.registerAndLogin("bob");
        long alicesPayment = cryptoPayment(alice, "0.01", "ETH", Map.of());
        long bobsPayment = cryptoPayment(bob, "0.01", "ETH", Map.of());
        String tx = stubs.chain().sendEth(5, stubs.depositAddress(), CENTI_ETH);
        stubs.chain().mine(2);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        Future<Response> fromAlice = pool.submit(() -> {
            start.await();
            return verify(alice, alicesPayment, tx);
        });
        Future<Response> fromBob = pool.submit(() -> {
            start.await();
            return verify(bob, bobsPayment, tx);
        });
        start.countDown();
        List<Integer> statuses = List.of(fromAlice.get().statusCode(), fromBob.get().statusCode());
        pool.shutdown();

        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        assertThat(credits(alice).add(credits(bob))).isEqualByComparingTo("200");
    }

    @Test
    void preferredWalletIsRecordedAndAPaymentFromAnotherWalletIsRefused() {
        Api.Account buyer = Api.registerAndLogin("wallet");
        String wallet = Ganache.address(2);
        Response created = pay(buyer, Map.of("amount", "0.01", "currency", "ETH", "provider", "crypto"),
                Map.of("X-Preferred-Payment", "crypto:ethereum:" + wallet));
        long paymentId = created.then().statusCode(201).extract().jsonPath().getLong("payment.id");
        assertThat(created.jsonPath().getString("payment.payer")).isEqualTo(wallet.toLowerCase(Locale.ROOT));

        String fromElsewhere = stubs.chain().sendEth(3, stubs.depositAddress(), CENTI_ETH);
        Response refused = verify(buyer, paymentId, fromElsewhere);
        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("wrong_payer");

        String fromWallet = stubs.chain().sendEth(2, stubs.depositAddress(), CENTI_ETH);
        stubs.chain().mine(2);
        verify(buyer, paymentId, fromWallet).then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("200");

        pay(buyer, Map.of("amount", "0.01", "currency", "ETH", "provider", "crypto"),
                Map.of("X-Preferred-Payment", "crypto:ethereum:not-a-wallet")).then().statusCode(400);
        pay(buyer, Map.of("amount", "0.01", "currency", "ETH", "provider", "crypto"),
                Map.of("X-Preferred-Payment", "crypto:bitcoin:" + wallet)).then().statusCode(400);
        pay(buyer, Map.of("amount", "0.01", "currency", "ETH", "provider", "crypto"),
                Map.of("X-Preferred-Payment", "crypto:1337:" + wallet)).then().statusCode(201);
        pay(buyer, Map.of("amount", "0.01", "currency", "ETH", "provider", "stripe"),
                Map.of("X-Preferred-Payment", "crypto:ethereum:" + wallet)).then().statusCode(400);
    }

    @Test
    void anotherTenantsPaymentIsNotFound() {
        Api.Account owner = Api.registerAndLogin("owner");
        Api.Account intruder = Api.registerAndLogin("intruder");
        long paymentId = cryptoPayment(owner, "0.01", "ETH", Map.of());
        String tx = stubs.chain().sendEth(1, stubs.depositAddress(), CENTI_ETH);
        stubs.chain().mine(2);

        Response response = verify(intruder, paymentId, tx);

        response.then().statusCode(404);
        assertThat(credits(intruder)).isEqualByComparingTo("0");
        assertThat(BillingApi.payment(owner, paymentId).jsonPath().getString("status")).isEqualTo("pending");
    }

    @Test
    void currenciesWithoutATokenOrRateAreRefused() {
        Api.Account buyer = Api.registerAndLogin("currency");

        Response response = pay(buyer, Map.of("amount", "1", "currency", "DOGE", "provider", "crypto"), Map.of());

        response.then().statusCode(400);
        assertThat(response.jsonPath().getString("detail")).contains("ETH").contains("USDC");
        pay(buyer, Map.of("amount", "0.0000001", "currency", "USDC", "provider", "crypto"), Map.of())
                .then().statusCode(400);
    }
}
