package dev.gpuproxy.server.credit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.credit.service.LedgerEntryView;
import java.util.List;

/** A page of ledger entries, newest first; pass {@code next_before} as {@code before} for the next page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerPage(List<LedgerEntryView> data, @JsonProperty("next_before") Long nextBefore) {
    public static LedgerPage of(List<LedgerEntryView> entries, int limit) {
        Long next = entries.size() == limit ? entries.get(entries.size() - 1).id() : null;
        return new LedgerPage(entries, next);
    }
}
