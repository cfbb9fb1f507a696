package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** A payment for credits. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Payment(
        @JsonProperty("id") String id,
        @JsonProperty("provider") String provider,
        @JsonProperty("status") String status,
        @JsonProperty("amount") BigDecimal amount,
        @JsonProperty("currency") String currency,
        @JsonProperty("credits") BigDecimal credits,
        @JsonProperty("created_at") String createdAt) {
}
