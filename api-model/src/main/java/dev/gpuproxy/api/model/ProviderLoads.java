package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Each provider's offers right now ({@code GET /loadbalancer/loads/provider}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProviderLoads(
        @JsonProperty("providers") List<ProviderLoad> providers) {
    /** A list the server left out reads as empty. */
    public ProviderLoads {
        providers = providers == null ? List.of() : providers;
    }
}
