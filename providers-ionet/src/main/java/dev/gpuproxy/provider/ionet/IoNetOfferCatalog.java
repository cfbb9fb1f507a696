package dev.gpuproxy.provider.ionet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.provider.spi.ProviderException;
import dev.gpuproxy.provider.support.ProviderHttp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Offers from io.net's documented VMaaS hardware list ({@code GET /enterprise/v1/io-cloud/vmaas/hardware}): one item
 * per hardware type, GPUs per VM and location, with its hourly price in US dollars, memory per card and whether it
 * is sold out. One call answers a whole listing; io.net filters by GPU name, memory and region itself, and the
 * adapter applies every filter again so an unknown or ignored parameter cannot widen the result.
 */
final class IoNetOfferCatalog {

    static final String BASE = "/enterprise/v1/io-cloud/vmaas";
    /** Offers returned when the query sets no limit. */
    static final int DEFAULT_LIMIT = 64;

    private final ProviderHttp http;

    IoNetOfferCatalog(ProviderHttp http) {
        this.http = http;
    }

    List<Offer> offers(OfferQuery query) {
        int limit = query.limitOr(DEFAULT_LIMIT);
        List<Offer> offers = new ArrayList<>();
        for (JsonNode item : hardware(query)) {
            if (offers.size() >= limit) {
                break;
            }
            Offer offer = offer(item);
            if (offer.available() && matches(offer, query)) {
                offers.add(offer);
            }
        }
        return offers;
    }

    /** The hardware list, narrowed by the documented filters {@code gpu}, {@code gpu_memory_min} and {@code regions}. */
    private JsonNode hardware(OfferQuery query) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (query.gpuModel() != null && !query.gpuModel().isBlank()) {
            params.put("gpu", gpuName(query.gpuModel()));
        }
        if (query.minVramGb() != null) {
            params.put("gpu_memory_min", (long) Math.ceil(query.minVramGb()));
        }
        if (isCountryCode(query.location())) {
            params.put("regions", query.location().strip().toUpperCase(Locale.ROOT));
        }
        return http.get(ProviderHttp.withQuery(BASE + "/hardware", params),
                body -> IoNetJson.array(IoNetJson.data(body, "hardware list"), "hardware", "hardware list"));
    }

    /** One hardware item: {@code deploy_id} (what price and deploy take), {@code num_cards} GPUs, {@code location}. */
    static Offer offer(JsonNode item) {
        String deployId = IoNetJson.text(item, "deploy_id");
        String location = IoNetJson.text(item, "location");
        int cards = item.path("num_cards").asInt(0);
        BigDecimal price = IoNetJson.decimal(item, "price");
        String name = IoNetJson.text(item, "name");
        if (deployId == null || location == null || cards < 1 || price == null) {
            throw ProviderException.malformed(IoNetProviderFactory.ID,
                    "hardware item without deploy_id, location, num_cards or price: " + item, null);
        }
        double vram = item.path("vram_per_card").canConvertToInt() && item.path("vram_per_card").asInt() > 0
                ? item.path("vram_per_card").asDouble() : GpuVram.forName(name);
        return new Offer(
                new IoNetOfferId(deployId, location, cards).toString(),
                IoNetProviderFactory.ID,
                name,
                cards,
                vram,
                item.path("vcpu").asDouble(0),
                item.path("memory").asDouble(0),
                item.path("storage").asDouble(0),
                price,
                location,
                0,
                0,
                !item.path("sold_out").asBoolean(false),
                null,
                IoNetJson.toMap(item));
    }

    private static boolean matches(Offer offer, OfferQuery query) {
        if (query.gpuCount() != null && offer.gpuCount() != query.gpuCount()) {
            return false;
        }
        if (query.gpuModel() != null && !query.gpuModel().isBlank() && (offer.gpuName() == null
                || !offer.gpuName().toLowerCase(Locale.ROOT).contains(gpuName(query.gpuModel()).toLowerCase(Locale.ROOT)))) {
            return false;
        }
        // A model whose memory is unknown cannot be shown to meet a minimum.
        if (query.minVramGb() != null && offer.vramGb() < query.minVramGb()) {
            return false;
        }
        if (query.maxPricePerHour() != null && offer.pricePerHour().compareTo(query.maxPricePerHour()) > 0) {
            return false;
        }
        return locationMatches(offer.location(), query.location());
    }

    /** io.net names models with spaces ("GeForce RTX 4090"); users often type the vast.ai CLI's underscores. */
    static String gpuName(String model) {
        return model.strip().replace('_', ' ');
    }

    static boolean isCountryCode(String location) {
        return location != null && location.strip().matches("[A-Za-z]{2}");
    }

    /** A two-letter location is a region code; anything else must appear in the location. */
    private static boolean locationMatches(String location, String wanted) {
        if (wanted == null || wanted.isBlank()) {
            return true;
        }
        String query = wanted.strip().toLowerCase(Locale.ROOT);
        String place = location.toLowerCase(Locale.ROOT);
        return isCountryCode(wanted) ? place.equals(query) : place.contains(query);
    }
}
