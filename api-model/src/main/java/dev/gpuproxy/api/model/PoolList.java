package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** All pools ({@code GET /admin/pools}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolList(
        @JsonProperty("data") List<Pool> data) {
    /** A list the server left out reads as empty. */
    public PoolList {
        data = data == null ? List.of() : data;
    }
}
