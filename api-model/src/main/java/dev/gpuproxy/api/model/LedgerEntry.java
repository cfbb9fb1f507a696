package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** One credit ledger entry (also the answer to an admin grant). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerEntry(
        @JsonProperty("id") String id,
        @JsonProperty("kind") String kind,
        @JsonProperty("amount") BigDecimal amount,
        @JsonProperty("balance_after") BigDecimal balanceAfter,
        @JsonProperty("reference") String reference,
        @JsonProperty("created_at") String createdAt) {
}
