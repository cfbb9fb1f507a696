package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A GPU this server tracks: one of the caller's instances or a backend the caller may use. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackedGpu(
        @JsonProperty("source") String source,
        @JsonProperty("instance_id") String instanceId,
        @JsonProperty("provider") String provider,
        @JsonProperty("gpu_model") String gpuModel,
        @JsonProperty("state") String state,
        @JsonProperty("endpoint") String endpoint,
        @JsonProperty("url") String url,
        @JsonProperty("pool") String pool,
        @JsonProperty("in_flight") Long inFlight,
        @JsonProperty("requests") Long requests,
        @JsonProperty("errors") Long errors,
        @JsonProperty("ewma_latency_ms") Double ewmaLatencyMs) {
}
