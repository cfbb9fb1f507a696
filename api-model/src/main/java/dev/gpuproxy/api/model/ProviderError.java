package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A provider that failed to answer, and why. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProviderError(
        @JsonProperty("provider") String provider,
        @JsonProperty("message") String message) {
}
