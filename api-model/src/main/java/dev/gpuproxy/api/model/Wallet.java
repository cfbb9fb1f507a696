package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** A user's credits ({@code GET /credits}), exact decimals as the server wrote them. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Wallet(
        @JsonProperty("credits_available") BigDecimal creditsAvailable,
        @JsonProperty("credits_remaining") BigDecimal creditsRemaining,
        @JsonProperty("credits_reserved") BigDecimal creditsReserved,
        @JsonProperty("credits_total") BigDecimal creditsTotal,
        @JsonProperty("credits_overage") BigDecimal creditsOverage,
        @JsonProperty("credits_cap") BigDecimal creditsCap,
        @JsonProperty("credits_auto_renew") Boolean creditsAutoRenew,
        @JsonProperty("auto_renew_amount") BigDecimal autoRenewAmount,
        @JsonProperty("auto_renew_threshold") BigDecimal autoRenewThreshold) {
}
