package dev.gpuproxy.provider.ionet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.provider.spi.ProviderException;
import dev.gpuproxy.provider.spi.ProviderHttp;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Assembles offers from io.net's three VMaaS listings: hardware types, the locations that have a VM of that
 * type free, and the price of one VM there for one hour. One offer per hardware, location and GPU count.
 */
final class IoNetOfferCatalog {

    static final String BASE = "/enterprise/v1/io-cloud/vmaas";
    /** Offers returned when the query sets no limit; each costs one price request. */
    static final int DEFAULT_LIMIT = 64;
    /** Prices are asked for one VM for one hour, so the total is the hourly price. */
    private static final int PRICE_HOURS = 1;
    private static final int PRICE_REPLICAS = 1;

    private final ProviderHttp http;

    IoNetOfferCatalog(ProviderHttp http) {
        this.http = http;
    }

    List<Offer> offers(OfferQuery query) {
        int limit = query.limitOr(DEFAULT_LIMIT);
        // io.net lists hardware, not machines: without a GPU count, offer the smallest VM of each type.
        int gpusPerVm = query.gpuCount() == null ? 1 : query.gpuCount();
        List<Offer> offers = new ArrayList<>();
        for (JsonNode hardware : hardware()) {
            if (offers.size() >= limit) {
                break;
            }
            if (!hardwareMatches(hardware, query, gpusPerVm)) {
                continue;
            }
            String hardwareId = IoNetJson.text(hardware, "hardware_id");
            for (JsonNode location : locations(hardwareId, gpusPerVm)) {
                if (offers.size() >= limit) {
                    break;
                }
                if (location.path("available_replicas").asInt(0) < 1 || !locationMatches(location, query.location())) {
                    continue;
                }
                Offer offer = offer(hardware, location, gpusPerVm);
                if (query.maxPricePerHour() == null || offer.pricePerHour().compareTo(query.maxPricePerHour()) <= 0) {
                    offers.add(offer);
                }
            }
        }
        return offers;
    }

    private JsonNode hardware() {
        return http.get(BASE + "/hardware/max-gpus-per-vm",
                body -> IoNetJson.array(IoNetJson.data(body, "hardware list"), "hardware", "hardware list"));
    }

    private JsonNode locations(String hardwareId, int gpusPerVm) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("hardware_id", hardwareId);
        params.put("hardware_qty", gpusPerVm);
        return http.get(ProviderHttp.withQuery(BASE + "/available-vms", params), body -> {
            JsonNode data = IoNetJson.data(body, "available VMs");
            if (!data.isArray()) {
                throw ProviderException.malformed(IoNetProviderFactory.ID, "available VMs data is not a list", null);
            }
            return data;
        });
    }

    private BigDecimal hourlyPrice(String hardwareId, String locationId, int gpusPerVm) {
        Map<String, Object> params = new LinkedHashMap<>();
        // A JSON array in a query parameter, as io.net's price endpoint expects.
        params.put("location_ids", "[" + IoNetJson.id(locationId) + "]");
        params.put("hardware_id", hardwareId);
        params.put("currency", "usdc");
        params.put("duration_hours", PRICE_HOURS);
        params.put("gpus_per_vm", gpusPerVm);
        params.put("replica_count", PRICE_REPLICAS);
        return http.get(ProviderHttp.withQuery(BASE + "/price", params), body -> {
            JsonNode data = IoNetJson.data(body, "price");
            BigDecimal total = IoNetJson.decimal(data, "total_cost_usdc");
            if (total == null) {
                throw ProviderException.malformed(IoNetProviderFactory.ID, "price without total_cost_usdc", null);
            }
            int replicas = data.path("replica_count").asInt(PRICE_REPLICAS);
            return total.divide(BigDecimal.valueOf((long) PRICE_HOURS * Math.max(replicas, 1)), MathContext.DECIMAL64);
        });
    }

    private Offer offer(JsonNode hardware, JsonNode location, int gpusPerVm) {
        String hardwareId = IoNetJson.text(hardware, "hardware_id");
        String locationId = IoNetJson.text(location, "id");
        if (locationId == null) {
            throw ProviderException.malformed(IoNetProviderFactory.ID, "location without id: " + location, null);
        }
        String name = IoNetJson.text(hardware, "hardware_name");
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("hardware", IoNetJson.toMap(hardware));
        raw.put("location", IoNetJson.toMap(location));
        return new Offer(
                new IoNetOfferId(hardwareId, locationId, gpusPerVm).toString(),
                IoNetProviderFactory.ID,
                name,
                gpusPerVm,
                GpuVram.forName(name),
                0,
                0,
                0,
                hourlyPrice(hardwareId, locationId, gpusPerVm),
                locationName(location),
                0,
                0,
                true,
                null,
                raw);
    }

    private static boolean hardwareMatches(JsonNode hardware, OfferQuery query, int gpusPerVm) {
        if (IoNetJson.text(hardware, "hardware_id") == null) {
            throw ProviderException.malformed(IoNetProviderFactory.ID, "hardware without hardware_id: " + hardware, null);
        }
        if (hardware.path("available").asInt(0) < 1 || hardware.path("max_gpus_per_vm").asInt(0) < gpusPerVm) {
            return false;
        }
        String name = IoNetJson.text(hardware, "hardware_name");
        if (query.gpuModel() != null && !query.gpuModel().isBlank()) {
            String wanted = query.gpuModel().strip().replace('_', ' ').toLowerCase(Locale.ROOT);
            if (name == null || !name.toLowerCase(Locale.ROOT).contains(wanted)) {
                return false;
            }
        }
        // A model whose memory is unknown cannot be shown to meet a minimum.
        return query.minVramGb() == null || GpuVram.forName(name) >= query.minVramGb();
    }

    /** A two-letter location is a country code; anything else must appear in the location's name. */
    private static boolean locationMatches(JsonNode location, String wanted) {
        if (wanted == null || wanted.isBlank()) {
            return true;
        }
        String query = wanted.strip().toLowerCase(Locale.ROOT);
        String iso2 = String.valueOf(IoNetJson.text(location, "iso2")).toLowerCase(Locale.ROOT);
        String name = String.valueOf(IoNetJson.text(location, "name")).toLowerCase(Locale.ROOT);
        return query.length() == 2 ? iso2.equals(query) : name.contains(query);
    }

    /** "Name, CC" like vast.ai's geolocation, so one location filter works across providers. */
    static String locationName(JsonNode location) {
        String name = IoNetJson.text(location, "name");
        String iso2 = IoNetJson.text(location, "iso2");
        if (name == null) {
            return iso2;
        }
        return iso2 == null ? name : name + ", " + iso2;
    }
}
