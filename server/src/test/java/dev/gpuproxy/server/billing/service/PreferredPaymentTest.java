package dev.gpuproxy.server.billing.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.server.common.error.ApiException;
import org.junit.jupiter.api.Test;

class PreferredPaymentTest {

    @Test
    void paymentMethodTokensAndWalletsAreAccepted() {
        assertThat(PreferredPayment.parse(null)).isInstanceOf(PreferredPayment.None.class);
        assertThat(PreferredPayment.parse("card:pm_1PgX8k2eZvKYlo2C")).isEqualTo(
                new PreferredPayment.CardToken("pm_1PgX8k2eZvKYlo2C"));
        // A token may hold long digit runs; it is still a token, not a card number.
        assertThat(PreferredPayment.parse("card:pm_1234567890123456")).isEqualTo(
                new PreferredPayment.CardToken("pm_1234567890123456"));
        assertThat(PreferredPayment.parse("crypto:Ethereum:0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1")).isEqualTo(
                new PreferredPayment.CryptoWallet("ethereum", "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1"));
    }

    @Test
    void cardNumbersInAnyLayoutAreRefusedWithoutRepeatingThem() {
        for (String value : new String[] {"card:4242424242424242", "card:4242 4242 4242 4242", "card:4242-4242-4242-4242",
                "4242424242424242", "visa:4000056655665556", "card:378282246310005"}) {
            assertThatThrownBy(() -> PreferredPayment.parse(value))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo("raw_card_number_refused");
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).doesNotContain("4242").doesNotContain("40000566").doesNotContain("3782");
                    });
        }
    }

    @Test
    void otherValuesAreRefusedAsMalformed() {
        for (String value : new String[] {"card:tok_visa", "crypto:ethereum:0x123", "crypto:0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1",
                "paypal:me@example.com"}) {
            assertThatThrownBy(() -> PreferredPayment.parse(value))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_request"));
        }
    }
}
