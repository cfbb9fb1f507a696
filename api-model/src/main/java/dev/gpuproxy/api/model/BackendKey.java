package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One of a backend's upstream API keys (never the secret). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendKey(
        @JsonProperty("disabled") Boolean disabled) {
}
