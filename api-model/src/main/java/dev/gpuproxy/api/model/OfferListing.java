package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One page of offers from all providers asked; a provider that did not answer is in {@code errors}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OfferListing(
        @JsonProperty("offers") List<GpuOffer> offers,
        @JsonProperty("errors") List<ProviderError> errors,
        @JsonProperty("total") Long total) {
    /** A list the server left out reads as empty. */
    public OfferListing {
        offers = offers == null ? List.of() : offers;
        errors = errors == null ? List.of() : errors;
    }
}
