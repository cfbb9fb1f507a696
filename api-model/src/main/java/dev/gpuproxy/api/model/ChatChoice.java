package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One choice of a completion: the new text in {@code delta} (streamed) or {@code message} (whole). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatChoice(
        @JsonProperty("delta") ChatMessage delta,
        @JsonProperty("message") ChatMessage message,
        @JsonProperty("finish_reason") String finishReason) {
}
