package dev.gpuproxy.server.gateway.metering;

import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.config.GatewayConfig;
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

    TokenPricing(GatewayConfig config) {
        BigDecimal thousand = BigDecimal.valueOf(1000);
        this.inputPerToken = config.pricePer1kInputTokens().movePointRight(Credits.SCALE).divide(thousand);
        this.outputPerToken = config.pricePer1kOutputTokens().movePointRight(Credits.SCALE).divide(thousand);
        this.defaultMaxTokens = config.defaultMaxTokens();
    }

    public long cost(long tokensIn, long tokensOut) {
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
