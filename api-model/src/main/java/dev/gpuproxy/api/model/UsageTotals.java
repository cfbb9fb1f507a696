package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** Gateway usage over a period. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsageTotals(
        @JsonProperty("requests") Long requests,
        @JsonProperty("tokens_in") Long tokensIn,
        @JsonProperty("tokens_out") Long tokensOut,
        @JsonProperty("gpu_seconds") BigDecimal gpuSeconds) {
}
