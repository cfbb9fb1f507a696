package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A chat completion, whole or one event of its stream: deltas in {@code choices}, usage at the end, or an
 * {@code error} that broke it off.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatChunk(
        @JsonProperty("model") String model,
        @JsonProperty("choices") List<ChatChoice> choices,
        @JsonProperty("usage") Map<String, Object> usage,
        @JsonProperty("error") ChatError error) {
    /** A list the server left out reads as empty. */
    public ChatChunk {
        choices = choices == null ? List.of() : choices;
    }
}
