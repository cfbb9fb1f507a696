package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.Offer;
import java.util.List;

/**
 * One page of offers across providers.
 *
 * @param offers the page, in the requested order
 * @param total  offers matching the filters before paging
 * @param errors providers that failed; their offers are missing
 */
public record OfferListing(List<Offer> offers, int total, List<ProviderFailure> errors) {
}
