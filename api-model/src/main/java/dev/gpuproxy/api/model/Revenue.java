package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** Payments received through one provider in one currency. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Revenue(
        @JsonProperty("provider") String provider,
        @JsonProperty("amount") BigDecimal amount,
        @JsonProperty("currency") String currency,
        @JsonProperty("payments") Long payments) {
}
