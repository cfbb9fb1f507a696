package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** Credits sold, granted and spent. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreditTotals(
        @JsonProperty("sold") BigDecimal sold,
        @JsonProperty("granted") BigDecimal granted,
        @JsonProperty("spent") BigDecimal spent) {
}
