package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** All backends ({@code GET /admin/backends}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackendList(
        @JsonProperty("data") List<Backend> data) {
    /** A list the server left out reads as empty. */
    public BackendList {
        data = data == null ? List.of() : data;
    }
}
