package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.config.GatewayConfig;
import dev.gpuproxy.server.credit.service.Credits;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** What tokens cost in micro-credits (PRICE_PER_1K_INPUT_TOKENS, PRICE_PER_1K_OUTPUT_TOKENS), rounded up. */
@ApplicationScoped
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

    /** The most a request can cost: its prompt (about four bytes a token) and its max_tokens of output. */
    public long estimate(int requestBytes, Integer maxTokens) {
        return cost(Math.max(1, requestBytes / 4), maxTokens != null && maxTokens > 0 ? maxTokens : defaultMaxTokens);
    }
}
