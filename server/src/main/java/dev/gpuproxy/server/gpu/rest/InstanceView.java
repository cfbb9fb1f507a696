package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.gpu.service.GpuInstance;
import java.math.BigDecimal;
import java.time.Instant;

/** A tenant's rented GPU instance in the API; {@code ended_at} is null while it is live. */
public record InstanceView(
        @JsonProperty("id") long id,
        @JsonProperty("provider") String provider,
        @JsonProperty("provider_instance_id") String providerInstanceId,
        @JsonProperty("offer_id") String offerId,
        @JsonProperty("gpu_model") String gpuModel,
        @JsonProperty("gpu_count") int gpuCount,
        @JsonProperty("vram_gb") Integer vramGb,
        @JsonProperty("state") String state,
        @JsonProperty("price_per_hour") BigDecimal pricePerHour,
        @JsonProperty("endpoint") String endpoint,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("ended_at") Instant endedAt) {

    public static InstanceView of(GpuInstance instance) {
        return new InstanceView(instance.id(), instance.provider(), instance.providerInstanceId(), instance.offerId(),
                instance.gpuModel(), instance.gpuCount(), instance.vramGb(), instance.state(), instance.pricePerHour(),
                instance.endpoint(), instance.createdAt(), instance.endedAt());
    }
}
