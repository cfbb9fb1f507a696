package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Live load of the backends the caller may see, with the strategy in force. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoadList(
        @JsonProperty("strategy") String strategy,
        @JsonProperty("loads") List<BackendLoad> loads) {
    /** A list the server left out reads as empty. */
    public LoadList {
        loads = loads == null ? List.of() : loads;
    }
}
