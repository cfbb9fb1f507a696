package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** A GPU machine a provider offers for rent. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GpuOffer(
        @JsonProperty("provider") String provider,
        @JsonProperty("id") String id,
        @JsonProperty("gpu_name") String gpuName,
        @JsonProperty("gpu_count") Integer gpuCount,
        @JsonProperty("vram_gb") BigDecimal vramGb,
        @JsonProperty("price_per_hour") BigDecimal pricePerHour,
        @JsonProperty("location") String location,
        @JsonProperty("available") Boolean available) {
}
