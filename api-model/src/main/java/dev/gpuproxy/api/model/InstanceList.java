package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The caller's instances ({@code GET /gpu/instances/mine}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceList(
        @JsonProperty("instances") List<GpuInstance> instances) {
    /** A list the server left out reads as empty. */
    public InstanceList {
        instances = instances == null ? List.of() : instances;
    }
}
