package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The load-balancing strategy of a pool or the default ({@code scope}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LbStrategy(
        @JsonProperty("strategy") String strategy,
        @JsonProperty("scope") String scope,
        @JsonProperty("pool") String pool) {
}
