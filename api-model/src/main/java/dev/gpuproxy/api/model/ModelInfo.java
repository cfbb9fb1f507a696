package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A model of the OpenAI-compatible model list. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelInfo(
        @JsonProperty("id") String id,
        @JsonProperty("owned_by") String ownedBy) {
}
