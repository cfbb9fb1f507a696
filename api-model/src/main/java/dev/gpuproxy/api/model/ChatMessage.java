package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The text part of a chat message. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatMessage(
        @JsonProperty("role") String role,
        @JsonProperty("content") Object content) {
}
