package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The wallets-versus-ledger check of {@code GET /admin/credits/audit}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditAudit(
        @JsonProperty("wallets_checked") Long walletsChecked,
        @JsonProperty("consistent") Boolean consistent,
        @JsonProperty("mismatches") List<WalletMismatch> mismatches) {
    /** A list the server left out reads as empty. */
    public CreditAudit {
        mismatches = mismatches == null ? List.of() : mismatches;
    }
}
