package dev.gpuproxy.server.credit.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.repository.LedgerEntryEntity;
import java.math.BigDecimal;
import java.time.Instant;

/** A ledger entry as the API shows it; amounts in credits with six decimals. */
public record LedgerEntryView(
        long id,
        BigDecimal amount,
        String kind,
        String reference,
        @JsonProperty("balance_after") BigDecimal balanceAfter,
        @JsonProperty("created_at") Instant createdAt) {

    public static LedgerEntryView of(LedgerEntryEntity entry) {
        return new LedgerEntryView(entry.id, Credits.toDecimal(entry.amount), entry.kind, entry.reference,
                Credits.toDecimal(entry.balanceAfter), entry.createdAt);
    }
}
