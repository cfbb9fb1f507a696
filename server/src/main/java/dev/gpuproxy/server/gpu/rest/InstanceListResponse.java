package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of {@code GET /api/v1/gpu/instances/mine}. */
public record InstanceListResponse(
        @JsonProperty("instances") List<InstanceView> instances,
        @JsonProperty("count") int count) {
}
