package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** A rented GPU instance. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GpuInstance(
        @JsonProperty("id") String id,
        @JsonProperty("provider") String provider,
        @JsonProperty("provider_instance_id") String providerInstanceId,
        @JsonProperty("offer_id") String offerId,
        @JsonProperty("gpu_model") String gpuModel,
        @JsonProperty("gpu_count") Integer gpuCount,
        @JsonProperty("vram_gb") BigDecimal vramGb,
        @JsonProperty("state") String state,
        @JsonProperty("price_per_hour") BigDecimal pricePerHour,
        @JsonProperty("endpoint") String endpoint,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("ended_at") String endedAt) {
}
