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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Paying in ETH and in an ERC-20 token on a real local Ethereum node (ganache): real transfers of every transaction
 * type, real receipts, real confirmations, each payment at its own address derived from CRYPTO_XPUB. The app requires
 * 3 confirmations; 1 ETH = 2000 USD, 1 USDC = 1 USD, 10 credits per USD; quotes hold 15 minutes.
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
        return deposit(buyer, Map.of("amount", amount, "currency", currency, "provider", "crypto"), headers).id();
    }

    /** A crypto payment as created: where to send how many base units. */
    record Deposit(long id, String address, BigInteger baseUnits, Response created) {}

    static Deposit deposit(Api.Account buyer, Map<String, ?> body, Map<String, String> headers) {
        Response created = pay(buyer, body, headers);
        created.then().statusCode(201);
        return new Deposit(created.jsonPath().getLong("payment.id"), created.jsonPath().getString("next.deposit_address"),
                new BigInteger(created.jsonPath().getString("next.amount_base_units")), created);
    }

    static Deposit deposit(Api.Account buyer, Object amount, String currency) {
        return deposit(buyer, Map.of("amount", amount, "currency", currency, "provider", "crypto"), Map.of());
    }

    @Test
    void ethPaymentStaysPendingShortOfConfirmationsAndIsCreditedOnceDeepEnough() {
        Api.Account buyer = Api.registerAndLogin("eth");
        Response created = pay(buyer, Map.of("amount", "0.01", "currency", "eth", "provider", "crypto"), Map.of());
        created.then().statusCode(201);
        long paymentId = created.jsonPath().getLong("payment.id");
        String address = created.jsonPath().getString("next.deposit_address");
        assertThat(created.jsonPath().getString("next.type")).isEqualTo("send_crypto");
        assertThat(address).isEqualTo(TestXpub.address(paymentId).toLowerCase(Locale.ROOT));
        assertThat(created.jsonPath().getLong("next.deposit_index")).isEqualTo(paymentId);
        assertThat(created.jsonPath().getString("next.currency")).isEqualTo("ETH");
        assertThat(created.jsonPath().getString("next.amount_base_units")).isEqualTo(CENTI_ETH.toString());
        assertThat(created.jsonPath().getLong("next.chain_id")).isEqualTo(Ganache.CHAIN_ID);
        assertThat(created.jsonPath().getInt("next.required_confirmations")).isEqualTo(3);
        assertThat(Instant.parse(created.jsonPath().getString("next.expires_at")))
                .isBetween(Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plus(Duration.ofMinutes(16)));
        assertThat(new BigDecimal(created.jsonPath().getString("payment.credits"))).isEqualByComparingTo("200");

        String tx = stubs.chain().sendEth(1, address, CENTI_ETH);
        Response shallow = verify(buyer, paymentId, tx);

        shallow.then().statusCode(202);
        assertThat(shallow.jsonPath().getString("payment.status")).isEqualTo("pending");
        assertThat(shallow.jsonPath().getLong("confirmations")).isEqualTo(1);
        assertThat(shallow.jsonPath().getString("tx_hash")).isEqualTo(tx);
        assertThat(shallow.jsonPath().getString("waiting_for")).isEqualTo("confirmations");
        assertThat(credits(buyer)).isEqualByComparingTo("0");

        stubs.chain().mine(2);
        Response deep = verify(buyer, paymentId, tx);

        deep.then().statusCode(200);
        assertThat(deep.jsonPath().getString("payment.status")).isEqualTo("succeeded");
        assertThat(deep.jsonPath().getLong("confirmations")).isGreaterThanOrEqualTo(3);
        assertThat(credits(buyer)).isEqualByComparingTo("200");
    }

    @Test
    void everyPaymentHasItsOwnAddressThatTheOperatorsWalletControls() {
        Api.Account buyer = Api.registerAndLogin("addresses");
        Deposit first = deposit(buyer, "0.01", "ETH");
        Deposit second = deposit(buyer, "0.01", "ETH");

        assertThat(first.address()).isNotEqualTo(second.address());
        assertThat(first.address()).isEqualTo(TestXpub.address(first.id()).toLowerCase(Locale.ROOT));
        assertThat(second.address()).isEqualTo(TestXpub.address(second.id()).toLowerCase(Locale.ROOT));
        // A transfer to one payment's address cannot pay the other.
        String tx = stubs.chain().sendEth(1, first.address(), CENTI_ETH);
        stubs.chain().mine(2);
        Response refused = verify(buyer, second.id(), tx);
        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("wrong_recipient");
        verify(buyer, first.id(), tx).then().statusCode(200);
    }

    @Test
    void backgroundRecheckCreditsAPendingPaymentOnceItIsDeepEnough() {
        Api.Account buyer = Api.registerAndLogin("recheck");
        Deposit payment = deposit(buyer, "0.01", "ETH");
        String tx = stubs.chain().sendEth(2, payment.address(), CENTI_ETH);
        verify(buyer, payment.id(), tx).then().statusCode(202);

        stubs.chain().mine(2);

        await().atMost(Duration.ofSeconds(15)).until(() ->
                "succeeded".equals(BillingApi.payment(buyer, payment.id()).jsonPath().getString("status")));
        assertThat(credits(buyer)).isEqualByComparingTo("200");
        assertThat(BillingApi.ledgerEntries(buyer)).isEqualTo(1);
    }

    @Test
    void tokenPaymentIsCreditedFromTheTransferLogToTheDepositAddress() {
        Api.Account buyer = Api.registerAndLogin("usdc");
        Deposit payment = deposit(buyer, "5", "USDC");
        assertThat(payment.created().jsonPath().getString("next.token_contract"))
                .isEqualTo(stubs.token().toLowerCase(Locale.ROOT));
        assertThat(payment.baseUnits()).isEqualTo(BigInteger.valueOf(5_000_000));

        String tx = stubs.chain().transferToken(BillingStubs.TOKEN_HOLDER, stubs.token(), payment.address(),
                BigInteger.valueOf(5_000_000));
        stubs.chain().mine(2);
        Response verified = verify(buyer, payment.id(), tx);

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
    void transferOfTooLittleIsRefusedAndAFullTransferStillPays() {
        Api.Account buyer = Api.registerAndLogin("toolittle");
        Deposit payment = deposit(buyer, "0.01", "ETH");

        String tx = stubs.chain().sendEth(3, payment.address(), CENTI_ETH.divide(BigInteger.TWO));
        stubs.chain().mine(3);
        Response refused = verify(buyer, payment.id(), tx);

        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("amount_too_low");
        assertThat(BillingApi.payment(buyer, payment.id()).jsonPath().getString("external_id")).isNull();
        assertThat(credits(buyer)).isEqualByComparingTo("0");

        String full = stubs.chain().sendEth(3, payment.address(), CENTI_ETH);
        stubs.chain().mine(2);
        verify(buyer, payment.id(), full).then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("200");
    }

    @Test
    void failedTransactionIsRefused() {
        Api.Account buyer = Api.registerAndLogin("reverted");
        Deposit payment = deposit(buyer, "5", "USDC");

        // Account 6 holds no tokens: the transfer is mined and reverts (receipt status 0).
        String tx = stubs.chain().transferToken(6, stubs.token(), payment.address(), BigInteger.valueOf(5_000_000));
        assertThat(stubs.chain().receipt(tx).isStatusOK()).isFalse();
        stubs.chain().mine(3);
        Response refused = verify(buyer, payment.id(), tx);

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
        Deposit payment = deposit(buyer, "0.01", "ETH");
        long another = cryptoPayment(buyer, "0.01", "ETH", Map.of());
        String tx = stubs.chain().sendEth(4, payment.address(), CENTI_ETH);
        stubs.chain().mine(2);

        verify(buyer, payment.id(), tx).then().statusCode(200);
        Response again = verify(buyer, payment.id(), tx.toUpperCase(Locale.ROOT).replace("0X", "0x"));
        Response reused = verify(buyer, another, tx);

        again.then().statusCode(200);
        assertThat(again.jsonPath().getString("payment.status")).isEqualTo("succeeded");
        reused.then().statusCode(409);
        assertThat(reused.jsonPath().getString("code")).isEqualTo("tx_already_used");
        assertThat(credits(buyer)).isEqualByComparingTo("200");
        assertThat(BillingApi.ledgerEntries(buyer)).isEqualTo(1);
    }

    @Test
    void sameHashSubmittedByTwoUsersAtOnceCreditsOnlyTheOwnerOnce() throws Exception {
        Api.Account alice = Api.registerAndLogin("alice");
        Api.Account bob = Api.registerAndLogin("bob");
        Deposit alicesPayment = deposit(alice, "0.01", "ETH");
        long bobsPayment = cryptoPayment(bob, "0.01", "ETH", Map.of());
        String tx = stubs.chain().sendEth(5, alicesPayment.address(), CENTI_ETH);
        stubs.chain().mine(2);

        List<Response> answers = atOnce(() -> verify(alice, alicesPayment.id(), tx),
                () -> verify(alice, alicesPayment.id(), tx), () -> verify(bob, bobsPayment, tx));

        assertThat(answers.get(0).statusCode()).isEqualTo(200);
        assertThat(answers.get(1).statusCode()).isEqualTo(200);
        assertThat(answers.get(2).statusCode()).isIn(409, 422);
        assertThat(credits(alice)).isEqualByComparingTo("200");
        assertThat(credits(bob)).isEqualByComparingTo("0");
        assertThat(BillingApi.ledgerEntries(alice)).isEqualTo(1);
    }

    /** Runs the calls at the same moment on threads of their own; their answers in order. */
    @SafeVarargs
    static List<Response> atOnce(Callable<Response>... calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (Callable<Response> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Response> answers = new ArrayList<>();
            for (Future<Response> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void preferredWalletIsRecordedAndAPaymentFromAnotherWalletIsRefused() {
        Api.Account buyer = Api.registerAndLogin("wallet");
        String wallet = Ganache.address(2);
        Deposit payment = deposit(buyer, Map.of("amount", "0.01", "currency", "ETH", "provider", "crypto"),
                Map.of("X-Preferred-Payment", "crypto:ethereum:" + wallet));
        assertThat(payment.created().jsonPath().getString("payment.payer")).isEqualTo(wallet.toLowerCase(Locale.ROOT));

        String fromElsewhere = stubs.chain().sendEth(3, payment.address(), CENTI_ETH);
        Response refused = verify(buyer, payment.id(), fromElsewhere);
        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("wrong_payer");

        String fromWallet = stubs.chain().sendEth(2, payment.address(), CENTI_ETH);
        stubs.chain().mine(2);
        verify(buyer, payment.id(), fromWallet).then().statusCode(200);
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
        Deposit payment = deposit(owner, "0.01", "ETH");
        String tx = stubs.chain().sendEth(1, payment.address(), CENTI_ETH);
        stubs.chain().mine(2);

        Response response = verify(intruder, payment.id(), tx);

        response.then().statusCode(404);
        assertThat(credits(intruder)).isEqualByComparingTo("0");
        assertThat(BillingApi.payment(owner, payment.id()).jsonPath().getString("status")).isEqualTo("pending");
    }

    @Test
    void currenciesWithoutATokenOrRateAreRefused() {
        Api.Account buyer = Api.registerAndLogin("currency");

        Response response = pay(buyer, Map.of("amount", "1", "currency", "DOGE", "provider", "crypto"), Map.of());

        response.then().statusCode(400);
        assertThat(response.jsonPath().getString("detail")).contains("USD").contains("ETH").contains("USDC");
        pay(buyer, Map.of("amount", "0.0000001", "currency", "USDC", "provider", "crypto"), Map.of())
                .then().statusCode(400);
        pay(buyer, Map.of("amount", "1.001", "currency", "USD", "provider", "crypto"), Map.of())
                .then().statusCode(400);
        Response unknownCoin = pay(buyer, Map.of("amount", "5", "currency", "USD", "provider", "crypto",
                "pay_currency", "DOGE"), Map.of());
        unknownCoin.then().statusCode(400);
        assertThat(unknownCoin.jsonPath().getString("detail")).contains("pay_currency");
        pay(buyer, Map.of("amount", "5", "currency", "USD", "provider", "afterdark", "pay_currency", "ETH"), Map.of())
                .then().statusCode(400);
    }

    // --- #17: a transfer seen in the mempool binds nothing -----------------------------------------------------

    @Test
    void pendingTransferIsNotBoundUntilMinedAndNoOtherTenantCanClaimIt() {
        Api.Account victim = Api.registerAndLogin("pending-victim");
        Api.Account attacker = Api.registerAndLogin("pending-attacker");
        Deposit victims = deposit(victim, "0.01", "ETH");
        Deposit attackers = deposit(attacker, "0.01", "ETH");
        String tx;
        stubs.chain().stopMining();
        try {
            tx = stubs.chain().sendEth(1, victims.address(), CENTI_ETH);
            assertThat(stubs.chain().transaction(tx).path("blockNumber").isNull()).isTrue();

            Response claimed = verify(attacker, attackers.id(), tx);
            Response early = verify(victim, victims.id(), tx);

            claimed.then().statusCode(422);
            assertThat(claimed.jsonPath().getString("code")).isEqualTo("wrong_recipient");
            early.then().statusCode(202);
            assertThat(early.jsonPath().getString("waiting_for")).isEqualTo("mining");
            assertThat(early.jsonPath().getLong("confirmations")).isZero();
            assertThat(BillingApi.payment(victim, victims.id()).jsonPath().getString("external_id")).isNull();
            assertThat(BillingApi.payment(attacker, attackers.id()).jsonPath().getString("external_id")).isNull();
        } finally {
            stubs.chain().startMining();
        }
        stubs.chain().mine(3);

        verify(attacker, attackers.id(), tx).then().statusCode(422);
        verify(victim, victims.id(), tx).then().statusCode(200);
        assertThat(credits(victim)).isEqualByComparingTo("200");
        assertThat(credits(attacker)).isEqualByComparingTo("0");
    }

    @Test
    void pendingTokenTransferClaimedByAnotherTenantIsNotBoundAndStillPaysItsOwner() {
        Api.Account victim = Api.registerAndLogin("token-victim");
        Api.Account attacker = Api.registerAndLogin("token-attacker");
        Deposit victims = deposit(victim, "5", "USDC");
        Deposit attackers = deposit(attacker, "5", "USDC");
        String tx;
        stubs.chain().stopMining();
        try {
            tx = stubs.chain().transferToken(BillingStubs.TOKEN_HOLDER, stubs.token(), victims.address(),
                    BigInteger.valueOf(5_000_000));

            // Who receives a token transfer is known only from its logs, once mined: until then, nothing is bound.
            Response claimed = verify(attacker, attackers.id(), tx);
            claimed.then().statusCode(202);
            assertThat(claimed.jsonPath().getString("waiting_for")).isEqualTo("mining");
            assertThat(BillingApi.payment(attacker, attackers.id()).jsonPath().getString("external_id")).isNull();
        } finally {
            stubs.chain().startMining();
        }
        stubs.chain().mine(3);

        Response refused = verify(attacker, attackers.id(), tx);
        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("wrong_recipient");
        verify(victim, victims.id(), tx).then().statusCode(200);
        assertThat(credits(victim)).isEqualByComparingTo("50");
        assertThat(credits(attacker)).isEqualByComparingTo("0");
    }

    // --- #18: priced in USD, paid with every transaction type ------------------------------------------------

    @ParameterizedTest
    @EnumSource(Ganache.TxType.class)
    void usdPriceIsQuotedInEthAndCreditedWhenTheQuotedEthArrives(Ganache.TxType type) {
        Api.Account buyer = Api.registerAndLogin("usd-" + type.name().toLowerCase(Locale.ROOT));
        String wallet = Ganache.address(2);
        // The seed README's command: {"amount": 50.00, "currency": "USD", "provider": "crypto"} with a wallet.
        Deposit payment = deposit(buyer, Map.of("amount", 50.00, "currency", "USD", "provider", "crypto"),
                Map.of("X-Preferred-Payment", "crypto:ethereum:" + wallet));
        Response created = payment.created();
        assertThat(created.jsonPath().getString("next.currency")).isEqualTo("ETH");
        assertThat(created.jsonPath().getString("next.amount")).isEqualTo("0.025");
        assertThat(payment.baseUnits()).isEqualTo(new BigInteger("25000000000000000"));
        assertThat(created.jsonPath().getString("next.price.currency")).isEqualTo("USD");
        assertThat(new BigDecimal(created.jsonPath().getString("next.price.amount"))).isEqualByComparingTo("50");
        assertThat(created.jsonPath().getString("next.expires_at")).isNotNull();
        assertThat(created.jsonPath().getString("payment.currency")).isEqualTo("USD");
        assertThat(created.jsonPath().getString("payment.pay_currency")).isEqualTo("ETH");
        assertThat(new BigDecimal(created.jsonPath().getString("payment.credits"))).isEqualByComparingTo("500");

        String tx = stubs.chain().sendEth(2, payment.address(), payment.baseUnits(), type);
        assertThat(stubs.chain().transaction(tx).path("type").asText()).isEqualTo("0x" + type.id);
        stubs.chain().mine(2);
        Response verified = verify(buyer, payment.id(), tx);

        verified.then().statusCode(200);
        assertThat(verified.jsonPath().getString("payment.status")).isEqualTo("succeeded");
        assertThat(credits(buyer)).isEqualByComparingTo("500");
    }

    @ParameterizedTest
    @EnumSource(Ganache.TxType.class)
    void ethPriceIsPaidWithEveryTransactionType(Ganache.TxType type) {
        Api.Account buyer = Api.registerAndLogin("ethtype-" + type.name().toLowerCase(Locale.ROOT));
        Deposit payment = deposit(buyer, "0.01", "ETH");
        assertThat(payment.baseUnits()).isEqualTo(CENTI_ETH);

        String tx = stubs.chain().sendEth(3, payment.address(), CENTI_ETH, type);
        assertThat(stubs.chain().transaction(tx).path("type").asText()).isEqualTo("0x" + type.id);
        stubs.chain().mine(2);

        verify(buyer, payment.id(), tx).then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("200");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheSameQuoteAndAddress() {
        Api.Account buyer = Api.registerAndLogin("usd-retry");
        Map<String, Object> body = Map.of("amount", "20", "currency", "USD", "provider", "crypto");
        Map<String, String> key = Map.of("Idempotency-Key", "quote-1");

        Response first = pay(buyer, body, key);
        Response again = pay(buyer, body, key);
        Response otherCoin = pay(buyer, Map.of("amount", "20", "currency", "USD", "provider", "crypto",
                "pay_currency", "USDC"), key);

        first.then().statusCode(201);
        again.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertThat(again.jsonPath().getString("next.deposit_address"))
                .isEqualTo(first.jsonPath().getString("next.deposit_address"));
        assertThat(again.jsonPath().getString("next.expires_at")).isEqualTo(first.jsonPath().getString("next.expires_at"));
        assertThat(again.jsonPath().getString("next.amount")).isEqualTo("0.01");
        otherCoin.then().statusCode(422);
        assertThat(otherCoin.jsonPath().getString("code")).isEqualTo("idempotency_key_reused");
    }

    @Test
    void usdPriceIsPaidInATokenWhenAsked() {
        Api.Account buyer = Api.registerAndLogin("usd-usdc");
        Deposit payment = deposit(buyer, Map.of("amount", "5", "currency", "usd", "provider", "crypto",
                "pay_currency", "usdc"), Map.of());
        assertThat(payment.created().jsonPath().getString("next.currency")).isEqualTo("USDC");
        assertThat(payment.created().jsonPath().getString("next.token_contract"))
                .isEqualTo(stubs.token().toLowerCase(Locale.ROOT));
        assertThat(payment.baseUnits()).isEqualTo(BigInteger.valueOf(5_000_000));

        String tx = stubs.chain().transferToken(BillingStubs.TOKEN_HOLDER, stubs.token(), payment.address(),
                payment.baseUnits());
        stubs.chain().mine(2);

        verify(buyer, payment.id(), tx).then().statusCode(200);
        assertThat(credits(buyer)).isEqualByComparingTo("50");
    }

    @Test
    void overpaymentCreditsTheQuotedAmountOnlyAndUnderpaymentNothing() {
        Api.Account buyer = Api.registerAndLogin("overpay");
        Deposit over = deposit(buyer, Map.of("amount", "50", "currency", "USD", "provider", "crypto"), Map.of());
        Deposit under = deposit(buyer, Map.of("amount", "50", "currency", "USD", "provider", "crypto"), Map.of());

        BigInteger more = new BigInteger("30000000000000000");
        String overTx = stubs.chain().sendEth(4, over.address(), more, Ganache.TxType.DYNAMIC_FEE);
        String underTx = stubs.chain().sendEth(4, under.address(), new BigInteger("24999999999999999"),
                Ganache.TxType.DYNAMIC_FEE);
        stubs.chain().mine(2);
        Response overpaid = verify(buyer, over.id(), overTx);
        Response underpaid = verify(buyer, under.id(), underTx);

        overpaid.then().statusCode(200);
        assertThat(overpaid.jsonPath().getString("paid_base_units")).isEqualTo(more.toString());
        underpaid.then().statusCode(422);
        assertThat(underpaid.jsonPath().getString("code")).isEqualTo("amount_too_low");
        assertThat(credits(buyer)).isEqualByComparingTo("500");
    }

    @Test
    void transferMinedAfterTheQuoteExpiredIsRefused() {
        Api.Account buyer = Api.registerAndLogin("expired");
        Deposit payment = deposit(buyer, Map.of("amount", "50", "currency", "USD", "provider", "crypto"), Map.of());
        Instant expiresAt = Instant.parse(payment.created().jsonPath().getString("next.expires_at"));
        String tx;
        stubs.chain().stopMining();
        try {
            tx = stubs.chain().sendEth(5, payment.address(), payment.baseUnits(), Ganache.TxType.DYNAMIC_FEE);
            stubs.chain().mineAt(expiresAt.plus(Duration.ofMinutes(1)));
        } finally {
            stubs.chain().startMining();
        }
        stubs.chain().mine(2);

        Response refused = verify(buyer, payment.id(), tx);

        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("quote_expired");
        assertThat(BillingApi.payment(buyer, payment.id()).jsonPath().getString("external_id")).isNull();
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }
}
