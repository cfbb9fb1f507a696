package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A load-balanced pool of backends, reached by its name or one of its aliases as the model. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Pool(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("strategy") String strategy,
        @JsonProperty("backends") List<Object> backends,
        @JsonProperty("aliases") List<String> aliases,
        @JsonProperty("source") String source) {
    /** A list the server left out reads as empty. */
    public Pool {
        backends = backends == null ? List.of() : backends;
        aliases = aliases == null ? List.of() : aliases;
    }
}
