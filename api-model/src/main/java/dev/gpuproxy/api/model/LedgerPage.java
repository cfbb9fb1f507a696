package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of the ledger, newest first; {@code next_before} is the cursor of the next older page. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerPage(
        @JsonProperty("data") List<LedgerEntry> data,
        @JsonProperty("next_before") String nextBefore) {
    /** A list the server left out reads as empty. */
    public LedgerPage {
        data = data == null ? List.of() : data;
    }
}
