package dev.gpuproxy.server.billing.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PricingTest {

    @Test
    void ratesParseWithUsdAlwaysOne() {
        assertThat(Pricing.parseRates("ETH:3000.5, usdc:1")).containsEntry("ETH", new BigDecimal("3000.5"))
                .containsEntry("USDC", BigDecimal.ONE).containsEntry("USD", BigDecimal.ONE);
        assertThat(Pricing.parseRates("")).containsOnlyKeys("USD");
    }

    @Test
    void malformedRatesNameTheVariable() {
        for (String spec : new String[] {"ETH", "ETH:abc", "ETH:-1", "ETH:1:2"}) {
            assertThatThrownBy(() -> Pricing.parseRates(spec)).hasMessageContaining("CRYPTO_USD_RATES");
        }
    }

    @Test
    void amountsAreCheckedForSignAndPrecision() {
        assertThat(Pricing.checkAmount(new BigDecimal("10.50"), 2, "usd")).isEqualByComparingTo("10.5");
        assertThat(Pricing.checkAmount(new BigDecimal("1E+2"), 2, "usd").toPlainString()).isEqualTo("100");
        assertThatThrownBy(() -> Pricing.checkAmount(new BigDecimal("10.505"), 2, "usd")).hasMessageContaining("decimal");
        assertThatThrownBy(() -> Pricing.checkAmount(BigDecimal.ZERO, 2, "usd")).hasMessageContaining("greater than zero");
        assertThatThrownBy(() -> Pricing.checkAmount(null, 2, "usd")).hasMessageContaining("required");
    }
}
