package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a stream broke off. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatError(
        @JsonProperty("message") String message,
        @JsonProperty("code") String code,
        @JsonProperty("type") String type) {
}
