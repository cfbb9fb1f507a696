package dev.gpuproxy.server.gateway.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Costs worked out in long arithmetic are exactly what BigDecimal arithmetic gives, rounded up to a micro-credit. */
class TokenPricingTest {

    /** The definition: price per 1k tokens in credits, to micro-credits, rounded up. */
    private static long reference(String in, String out, long tokensIn, long tokensOut) {
        return new BigDecimal(in).multiply(BigDecimal.valueOf(tokensIn))
                .add(new BigDecimal(out).multiply(BigDecimal.valueOf(tokensOut)))
                .movePointRight(6).divide(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static TokenPricing pricing(String in, String out) {
        return new TokenPricing(new BigDecimal(in), new BigDecimal(out), 256);
    }

    @Test
    void everyPriceAndCountCostsWhatTheExactArithmeticSays() {
        String[] prices = {"0", "1", "0.5", "0.0015", "0.000001", "0.0000001", "2.50", "15", "1000", "0.123456789",
                "7E+2", "3.0000000000000000001"};
        long[] counts = {0, 1, 3, 7, 999, 1000, 1001, 123_457, 4_194_304, 2_147_483_647L};
        for (String in : prices) {
            for (String out : prices) {
                TokenPricing pricing = pricing(in, out);
                for (long tokensIn : counts) {
                    for (long tokensOut : counts) {
                        assertThat(pricing.cost(tokensIn, tokensOut)).as("%s/%s for %d+%d", in, out, tokensIn, tokensOut)
                                .isEqualTo(reference(in, out, tokensIn, tokensOut));
                    }
                }
            }
        }
    }

    @Test
    void randomPricesAndCountsToo() {
        Random random = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            String in = BigDecimal.valueOf(random.nextInt(10_000_000), random.nextInt(10)).toPlainString();
            String out = BigDecimal.valueOf(random.nextInt(10_000_000), random.nextInt(10)).toPlainString();
            long tokensIn = random.nextInt(1 << 22);
            long tokensOut = random.nextInt(1 << 20);
            assertThat(pricing(in, out).cost(tokensIn, tokensOut)).as("%s/%s for %d+%d", in, out, tokensIn, tokensOut)
                    .isEqualTo(reference(in, out, tokensIn, tokensOut));
        }
    }

    @Test
    void countsBeyondALongAreWorkedOutExactlyAndACostBeyondALongIsRefused() {
        // 123.456789 micro-credits a token is 123456789 / 10^6: a trillion tokens overflow the numerator's product.
        TokenPricing pricing = pricing("0.123456789", "0.5");
        long trillion = 1_000_000_000_000L;
        assertThat(pricing.cost(trillion, trillion)).isEqualTo(reference("0.123456789", "0.5", trillion, trillion));
        assertThatThrownBy(() -> pricing.cost(Long.MAX_VALUE, Long.MAX_VALUE)).isInstanceOf(ArithmeticException.class);
    }
}
