package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.gpu.service.OfferListing;
import dev.gpuproxy.server.gpu.service.ProviderFailure;
import java.util.List;

/**
 * The body of {@code GET /api/v1/gpu/instances}: one page of offers, how many match in all, and the providers that
 * could not answer (their offers are missing, the others are still listed).
 */
public record OfferListResponse(
        @JsonProperty("offers") List<OfferView> offers,
        @JsonProperty("count") int count,
        @JsonProperty("total") int total,
        @JsonProperty("errors") List<ProviderFailure> errors) {

    static OfferListResponse of(OfferListing listing) {
        List<OfferView> offers = listing.offers().stream().map(OfferView::of).toList();
        return new OfferListResponse(offers, offers.size(), listing.total(), listing.errors());
    }
}
