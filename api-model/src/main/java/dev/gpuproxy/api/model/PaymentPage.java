package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A page of the caller's payments ({@code GET /billing/transactions}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentPage(
        @JsonProperty("data") List<Payment> data,
        @JsonProperty("total") Long total,
        @JsonProperty("offset") Long offset) {
    /** A list the server left out reads as empty. */
    public PaymentPage {
        data = data == null ? List.of() : data;
    }
}
