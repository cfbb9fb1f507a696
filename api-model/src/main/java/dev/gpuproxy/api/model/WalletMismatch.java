package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** A wallet whose balance differs from the sum of its ledger. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WalletMismatch(
        @JsonProperty("user_id") String userId,
        @JsonProperty("wallet_balance") BigDecimal walletBalance,
        @JsonProperty("ledger_sum") BigDecimal ledgerSum) {
}
