package dev.gpuproxy.provider.vastai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.provider.spi.ProviderException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Maps the {@code {"offers":[...]}} answer of a vast.ai search to {@link Offer}s (MB to GB, exact prices). */
final class VastOffers {

    private VastOffers() {
    }

    static List<Offer> fromSearch(JsonNode answer, OfferQuery query) {
        JsonNode offers = VastJson.requireObject(answer, "offer search answer").get("offers");
        if (offers == null || !offers.isArray()) {
            throw ProviderException.malformed(VastAiProviderFactory.ID, "offer search answer has no offers array", null);
        }
        List<Offer> result = new ArrayList<>();
        for (JsonNode node : offers) {
            Offer offer = fromJson(node);
            if (matchesLocation(offer, query.location())) {
                result.add(offer);
            }
        }
        return result;
    }

    static Offer fromJson(JsonNode node) {
        VastJson.requireObject(node, "offer");
        String id = VastJson.text(node, "id");
        BigDecimal price = VastJson.decimal(node, "dph_total");
        if (id == null || price == null) {
            throw ProviderException.malformed(VastAiProviderFactory.ID, "offer without id or dph_total: " + node, null);
        }
        // cpu_cores is the whole machine; cpu_cores_effective is the share that comes with this offer.
        double cpuCores = node.hasNonNull("cpu_cores_effective")
                ? VastJson.number(node, "cpu_cores_effective") : VastJson.number(node, "cpu_cores");
        double reliability = node.hasNonNull("reliability2")
                ? VastJson.number(node, "reliability2") : VastJson.number(node, "reliability");
        boolean available = node.path("rentable").asBoolean(true) && !node.path("rented").asBoolean(false);
        return new Offer(
                id,
                VastAiProviderFactory.ID,
                VastJson.text(node, "gpu_name"),
                node.path("num_gpus").asInt(0),
                VastJson.number(node, "gpu_ram") / VastOfferSearch.MB_PER_GB,
                cpuCores,
                VastJson.number(node, "cpu_ram") / VastOfferSearch.MB_PER_GB,
                VastJson.number(node, "disk_space"),
                price,
                VastJson.text(node, "geolocation"),
                reliability,
                VastJson.number(node, "dlperf"),
                available,
                VastJson.text(node, "host_id"),
                VastJson.toMap(node));
    }

    /** Country codes were filtered by vast.ai already; other text must appear in the offer's location. */
    private static boolean matchesLocation(Offer offer, String location) {
        if (location == null || location.isBlank() || VastOfferSearch.isCountryCode(location)) {
            return true;
        }
        return offer.location() != null
                && offer.location().toLowerCase(Locale.ROOT).contains(location.strip().toLowerCase(Locale.ROOT));
    }
}
