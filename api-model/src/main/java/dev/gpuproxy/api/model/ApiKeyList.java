package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The caller's API keys ({@code GET /auth/apikeys}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiKeyList(
        @JsonProperty("data") List<ApiKey> data) {
    /** A list the server left out reads as empty. */
    public ApiKeyList {
        data = data == null ? List.of() : data;
    }
}
