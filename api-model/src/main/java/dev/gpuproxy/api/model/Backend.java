package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/** A backend of a pool with the balancer's live figures for it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Backend(
        @JsonProperty("id") String id,
        @JsonProperty("pool") String pool,
        @JsonProperty("kind") String kind,
        @JsonProperty("url") String url,
        @JsonProperty("weight") BigDecimal weight,
        @JsonProperty("in_flight") Long inFlight,
        @JsonProperty("requests") Long requests,
        @JsonProperty("errors") Long errors,
        @JsonProperty("ewma_latency_ms") Double ewmaLatencyMs,
        @JsonProperty("ejected") Boolean ejected,
        @JsonProperty("keys") List<BackendKey> keys) {
    /** A list the server left out reads as empty. */
    public Backend {
        keys = keys == null ? List.of() : keys;
    }
}
