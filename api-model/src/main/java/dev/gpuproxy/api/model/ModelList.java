package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The models the caller may use through the gateway ({@code GET /v1/models}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelList(
        @JsonProperty("data") List<ModelInfo> data) {
    /** A list the server left out reads as empty. */
    public ModelList {
        data = data == null ? List.of() : data;
    }
}
