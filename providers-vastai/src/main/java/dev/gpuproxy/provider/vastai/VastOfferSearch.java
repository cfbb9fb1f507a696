package dev.gpuproxy.provider.vastai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.provider.spi.OfferQuery;
import java.util.Locale;

/**
 * Translates an {@link OfferQuery} into the body of {@code POST /api/v0/bundles/}, vast.ai's filter language
 * ({@code "field": {"op": value}}), starting from the defaults the official CLI applies.
 */
final class VastOfferSearch {

    /** Offers asked for when the query sets no limit. */
    static final int DEFAULT_LIMIT = 64;
    /** vast.ai counts memory in MB of 1000, so a "24 GB" card with 24564 MB passes a 24 GB minimum, as in the CLI. */
    static final double MB_PER_GB = 1000;
    /** Disk the prices are quoted for, in GB; the CLI's default, so dph_total matches what users see there. */
    private static final double ALLOCATED_STORAGE_GB = 5;

    private VastOfferSearch() {
    }

    static ObjectNode body(OfferQuery query) {
        ObjectNode body = VastJson.object();
        // Only verified, on-market, free, non-external machines: what the CLI searches unless told otherwise.
        filter(body, "verified", "eq", true);
        filter(body, "external", "eq", false);
        filter(body, "rentable", "eq", true);
        filter(body, "rented", "eq", false);
        if (query.minVramGb() != null) {
            body.putObject("gpu_ram").put("gte", query.minVramGb() * MB_PER_GB);
        }
        if (query.maxPricePerHour() != null) {
            body.putObject("dph_total").put("lte", query.maxPricePerHour());
        }
        if (query.gpuModel() != null && !query.gpuModel().isBlank()) {
            body.putObject("gpu_name").put("eq", gpuName(query.gpuModel()));
        }
        if (query.minReliability() != null) {
            // The CLI's "reliability" is an alias of reliability2, the score shown in the console.
            body.putObject("reliability2").put("gte", query.minReliability());
        }
        if (query.gpuCount() != null) {
            body.putObject("num_gpus").put("eq", query.gpuCount());
        }
        if (isCountryCode(query.location())) {
            body.putObject("geolocation").put("eq", query.location().toUpperCase(Locale.ROOT));
        }
        body.putArray("order").addArray().add("score").add("desc");
        body.put("type", "on-demand");
        body.put("allocated_storage", ALLOCATED_STORAGE_GB);
        body.put("limit", query.limitOr(DEFAULT_LIMIT));
        return body;
    }

    /** vast.ai names models with spaces ("RTX 4090"); users often type the CLI's underscore form. */
    static String gpuName(String model) {
        return model.strip().replace('_', ' ');
    }

    /** vast.ai can filter by country code only; other location text is matched by the adapter itself. */
    static boolean isCountryCode(String location) {
        return location != null && location.strip().matches("[A-Za-z]{2}");
    }

    private static void filter(ObjectNode body, String field, String op, boolean value) {
        body.putObject(field).put(op, value);
    }
}
