package dev.gpuproxy.server.billing.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Converting a price into the coin to send: never less than the price, at most 8 places, whole units printed plain. */
class CryptoQuoteTest {

    static String convert(String amount, String priceRate, String coinRate, int decimals) {
        return CryptoProcessor.convert(new BigDecimal(amount), new BigDecimal(priceRate), new BigDecimal(coinRate),
                decimals).toPlainString();
    }

    @Test
    void pricesConvertAtTheirUsdRatesRoundedUp() {
        assertThat(convert("50", "1", "2000", 18)).isEqualTo("0.025");
        assertThat(convert("50", "1", "3000", 18)).isEqualTo("0.01666667");
        assertThat(convert("10", "1.08", "2000", 18)).isEqualTo("0.0054");
        assertThat(convert("0.01", "2000", "1", 6)).isEqualTo("20");
        assertThat(convert("1", "1", "0.999", 6)).isEqualTo("1.001002");
        assertThat(convert("0.000000001", "1", "3000", 18)).isEqualTo("0.00000001");
    }
}
