package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The balancer's live view of one backend. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendLoad(
        @JsonProperty("backend_id") String backendId,
        @JsonProperty("pool") String pool,
        @JsonProperty("pool_strategy") String poolStrategy,
        @JsonProperty("url") String url,
        @JsonProperty("instance_id") String instanceId,
        @JsonProperty("in_flight") Long inFlight,
        @JsonProperty("requests") Long requests,
        @JsonProperty("errors") Long errors,
        @JsonProperty("ewma_latency_ms") Double ewmaLatencyMs,
        @JsonProperty("ejected") Boolean ejected) {
}
