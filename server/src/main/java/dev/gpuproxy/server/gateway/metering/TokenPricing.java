package dev.gpuproxy.server.gateway.metering;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** What tokens cost in micro-credits (PRICE_PER_1K_INPUT_TOKENS, PRICE_PER_1K_OUTPUT_TOKENS), rounded up. */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class TokenPricing {

    private final BigDecimal inputPerToken;
    private final BigDecimal outputPerToken;
    private final int defaultMaxTokens;
    /**
     * The two prices as exact fractions over one power of ten ({@code inputNumerator / denominator} micro-credits a
     * token), so a cost is worked out in long arithmetic; {@code denominator} is 0 when they do not fit a long. A
     * streamed answer's cost is checked against its hold at every event: BigDecimal arithmetic was 1-2% of the CPU of
     * 10,000 streams.
     */
    private final long inputNumerator;
    private final long outputNumerator;
    private final long denominator;

    @Inject
    TokenPricing(GatewayConfig config) {
        this(config.pricePer1kInputTokens(), config.pricePer1kOutputTokens(), config.defaultMaxTokens());
    }

    TokenPricing(BigDecimal pricePer1kInputTokens, BigDecimal pricePer1kOutputTokens, int defaultMaxTokens) {
        BigDecimal thousand = BigDecimal.valueOf(1000);
        this.inputPerToken = pricePer1kInputTokens.movePointRight(Credits.SCALE).divide(thousand);
        this.outputPerToken = pricePer1kOutputTokens.movePointRight(Credits.SCALE).divide(thousand);
        this.defaultMaxTokens = defaultMaxTokens;
        int scale = Math.max(0, Math.max(inputPerToken.stripTrailingZeros().scale(),
                outputPerToken.stripTrailingZeros().scale()));
        long input = 0;
        long output = 0;
        long power = 0;
        if (scale <= 18) { // 10^18 is the largest power of ten a long holds
            try {
                input = inputPerToken.movePointRight(scale).longValueExact();
                output = outputPerToken.movePointRight(scale).longValueExact();
                power = BigDecimal.ONE.movePointRight(scale).longValueExact();
            } catch (ArithmeticException beyondLong) {
                power = 0; // a price this high is worked out in BigDecimal
            }
        }
        this.inputNumerator = input;
        this.outputNumerator = output;
        this.denominator = power;
    }

    /** What {@code tokensIn} and {@code tokensOut} cost in micro-credits, rounded up. */
    public long cost(long tokensIn, long tokensOut) {
        if (denominator != 0) {
            try {
                long scaled = Math.addExact(Math.multiplyExact(inputNumerator, tokensIn),
                        Math.multiplyExact(outputNumerator, tokensOut));
                long whole = Math.floorDiv(scaled, denominator);
                return Math.floorMod(scaled, denominator) == 0 ? whole : whole + 1;
            } catch (ArithmeticException beyondLong) {
                // a count this large is worked out exactly below (and refused there if the cost is beyond a long)
            }
        }
        return inputPerToken.multiply(BigDecimal.valueOf(tokensIn))
                .add(outputPerToken.multiply(BigDecimal.valueOf(tokensOut)))
                .setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Prompt tokens assumed for a request body before the backend reports them: about four bytes a token. */
    public long promptTokens(int requestBytes) {
        return Math.max(1, requestBytes / 4);
    }

    /** The output tokens a request may generate when it names no max_tokens (DEFAULT_MAX_TOKENS). */
    public int defaultMaxTokens() {
        return defaultMaxTokens;
    }

    /** How many output tokens {@code micros} pay for, at most {@code limit}. */
    public long outputTokensFor(long micros, long limit) {
        if (outputPerToken.signum() == 0) {
            return limit;
        }
        return Math.min(limit, BigDecimal.valueOf(Math.max(0, micros)).divide(outputPerToken, 0, RoundingMode.FLOOR)
                .longValueExact());
    }
}
