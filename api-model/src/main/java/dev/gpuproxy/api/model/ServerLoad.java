package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The GPUs this server tracks for the caller ({@code GET /loadbalancer/loads/server}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerLoad(
        @JsonProperty("gpus") List<TrackedGpu> gpus,
        @JsonProperty("count") Long count,
        @JsonProperty("in_flight") Long inFlight,
        @JsonProperty("requests") Long requests) {
    /** A list the server left out reads as empty. */
    public ServerLoad {
        gpus = gpus == null ? List.of() : gpus;
    }
}
