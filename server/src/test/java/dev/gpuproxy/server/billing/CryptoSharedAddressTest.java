package dev.gpuproxy.server.billing;

import static dev.gpuproxy.server.billing.BillingApi.credits;
import static dev.gpuproxy.server.billing.BillingApi.pay;
import static dev.gpuproxy.server.billing.BillingApi.verify;
import static dev.gpuproxy.server.billing.CryptoPaymentsTest.CENTI_ETH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gpuproxy.server.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Crypto payments at one shared CRYPTO_DEPOSIT_ADDRESS (no CRYPTO_XPUB), where a transfer is matched by its sender:
 * written as the attacks of someone who watches the deposit address's pending transactions (issue #17).
 */
@QuarkusTest
@TestProfile(BillingSharedAddressProfile.class)
class CryptoSharedAddressTest {

    @InjectBillingStubs
    BillingStubs stubs;

    static Map<String, String> wallet(int account) {
        return Map.of("X-Preferred-Payment", "crypto:ethereum:" + Ganache.address(account));
    }

    static Response ethPayment(Api.Account buyer, Map<String, String> headers) {
        return pay(buyer, Map.of("amount", "0.01", "currency", "ETH", "provider", "crypto"), headers);
    }

    static long paymentId(Response created) {
        return created.then().statusCode(201).extract().jsonPath().getLong("payment.id");
    }

    @Test
    void aPaymentMustNameThePayingWallet() {
        Api.Account buyer = Api.registerAndLogin("shared-nowallet");

        Response refused = ethPayment(buyer, Map.of());

        refused.then().statusCode(400);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("payer_wallet_required");
        Response created = ethPayment(buyer, wallet(1));
        assertThat(created.jsonPath().getString("next.deposit_address"))
                .isEqualTo(stubs.depositAddress().toLowerCase(Locale.ROOT));
        assertThat(created.jsonPath().getString("next.deposit_index")).isNull();
    }

    @Test
    void pendingTransferOfAVictimCannotBeClaimedOrBlockedByAnotherTenant() {
        Api.Account victim = Api.registerAndLogin("shared-victim");
        Api.Account attacker = Api.registerAndLogin("shared-attacker");
        long victims = paymentId(ethPayment(victim, wallet(2)));
        String tx;
        stubs.chain().stopMining();
        try {
            tx = stubs.chain().sendEth(2, stubs.depositAddress(), CENTI_ETH);

            // The attacker sees the transfer in the mempool and tries to claim it: naming the victim's wallet...
            Response impersonating = ethPayment(attacker, wallet(2));
            impersonating.then().statusCode(409);
            assertThat(impersonating.jsonPath().getString("code")).isEqualTo("wallet_in_use");
            // ... or with a payment of their own wallet, before and after it is mined.
            long attackers = paymentId(ethPayment(attacker, wallet(3)));
            Response claimed = verify(attacker, attackers, tx);
            claimed.then().statusCode(422);
            assertThat(claimed.jsonPath().getString("code")).isEqualTo("wrong_payer");
            // Even the victim's own pending transfer is not bound before it is mined.
            Response early = verify(victim, victims, tx);
            early.then().statusCode(202);
            assertThat(early.jsonPath().getString("waiting_for")).isEqualTo("mining");
            assertThat(BillingApi.payment(victim, victims).jsonPath().getString("external_id")).isNull();

            stubs.chain().startMining();
            stubs.chain().mine(3);
            verify(attacker, attackers, tx).then().statusCode(422);
        } finally {
            stubs.chain().startMining();
        }

        Response paid = verify(victim, victims, tx);

        paid.then().statusCode(200);
        assertThat(paid.jsonPath().getString("payment.external_id")).isEqualTo(tx);
        assertThat(credits(victim)).isEqualByComparingTo("200");
        assertThat(credits(attacker)).isEqualByComparingTo("0");
    }

    @Test
    void aTransferFromAnotherSenderCannotPay() {
        Api.Account buyer = Api.registerAndLogin("shared-sender");
        long payment = paymentId(ethPayment(buyer, wallet(4)));
        String fromStranger = stubs.chain().sendEth(5, stubs.depositAddress(), CENTI_ETH);
        stubs.chain().mine(3);

        Response refused = verify(buyer, payment, fromStranger);

        refused.then().statusCode(422);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("wrong_payer");
        assertThat(BillingApi.payment(buyer, payment).jsonPath().getString("external_id")).isNull();
        assertThat(credits(buyer)).isEqualByComparingTo("0");
    }

    @Test
    void oneTransferSubmittedForTwoPaymentsAtOnceCreditsOnlyOne() throws Exception {
        Api.Account buyer = Api.registerAndLogin("shared-race");
        long first = paymentId(ethPayment(buyer, wallet(6)));
        long second = paymentId(ethPayment(buyer, wallet(6)));
        String tx = stubs.chain().sendEth(6, stubs.depositAddress(), CENTI_ETH);
        stubs.chain().mine(2);

        List<Response> answers = CryptoPaymentsTest.atOnce(() -> verify(buyer, first, tx), () -> verify(buyer, second, tx));

        assertThat(answers.stream().map(Response::statusCode).toList()).containsExactlyInAnyOrder(200, 409);
        assertThat(credits(buyer)).isEqualByComparingTo("200");
        assertThat(BillingApi.ledgerEntries(buyer)).isEqualTo(1);
    }
}
