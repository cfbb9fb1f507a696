package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One provider's health and offers; {@code message} says what went wrong, if anything. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProviderLoad(
        @JsonProperty("provider") String provider,
        @JsonProperty("status") String status,
        @JsonProperty("offers") Long offers,
        @JsonProperty("available") Long available,
        @JsonProperty("cheapest") List<CheapestGpu> cheapest,
        @JsonProperty("message") String message) {
    /** A list the server left out reads as empty. */
    public ProviderLoad {
        cheapest = cheapest == null ? List.of() : cheapest;
    }
}
