package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import java.util.Locale;

/**
 * Whether an offer meets a query, the same way for every provider: providers filter what their API can, and the
 * server applies this to everything they return, so one filter means one thing across marketplaces.
 */
public final class OfferMatcher {

    private OfferMatcher() {
    }

    public static boolean matches(Offer offer, OfferQuery query) {
        return (query.minVramGb() == null || offer.vramGb() >= query.minVramGb())
                && (query.maxPricePerHour() == null || offer.pricePerHour().compareTo(query.maxPricePerHour()) <= 0)
                && (query.minReliability() == null || offer.reliability() >= query.minReliability())
                && (query.gpuCount() == null || offer.gpuCount() == query.gpuCount())
                && gpuModelMatches(offer.gpuName(), query.gpuModel())
                && locationMatches(offer.location(), query.location());
    }

    /** Case-insensitive "contains"; an underscore stands for a space, as in the vast.ai CLI ({@code RTX_4090}). */
    static boolean gpuModelMatches(String gpuName, String wanted) {
        if (wanted == null || wanted.isBlank()) {
            return true;
        }
        return gpuName != null && normalize(gpuName).contains(normalize(wanted.replace('_', ' ')));
    }

    /**
     * Two letters are a country code, matched against the {@code "City, CC"} form every provider's location is given
     * in; anything longer must appear in the location.
     */
    static boolean locationMatches(String location, String wanted) {
        if (wanted == null || wanted.isBlank()) {
            return true;
        }
        if (location == null) {
            return false;
        }
        String place = normalize(location);
        String query = normalize(wanted);
        if (query.matches("[a-z]{2}")) {
            return place.equals(query) || place.endsWith(", " + query);
        }
        return place.contains(query);
    }

    private static String normalize(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
