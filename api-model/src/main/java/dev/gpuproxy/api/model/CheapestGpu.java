package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** The cheapest price of a GPU model at a provider. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheapestGpu(
        @JsonProperty("gpu_model") String gpuModel,
        @JsonProperty("price_per_gpu_hour") BigDecimal pricePerGpuHour) {
}
