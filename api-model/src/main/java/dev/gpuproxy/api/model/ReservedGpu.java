package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** One GPU of a reservation. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReservedGpu(
        @JsonProperty("instance_id") String instanceId,
        @JsonProperty("provider") String provider,
        @JsonProperty("contract_id") String contractId,
        @JsonProperty("gpu_model") String gpuModel,
        @JsonProperty("vram") BigDecimal vram,
        @JsonProperty("price") BigDecimal price,
        @JsonProperty("state") String state,
        @JsonProperty("endpoint") String endpoint) {
}
