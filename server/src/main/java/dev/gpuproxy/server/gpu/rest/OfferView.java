package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.server.gpu.service.OfferSort;
import java.math.BigDecimal;

/** One offer in {@code GET /api/v1/gpu/instances}; memory in GB, prices in US dollars per hour (exact decimals). */
public record OfferView(
        @JsonProperty("id") String id,
        @JsonProperty("provider") String provider,
        @JsonProperty("gpu_name") String gpuName,
        @JsonProperty("gpu_count") int gpuCount,
        @JsonProperty("vram_gb") double vramGb,
        @JsonProperty("cpu_cores") double cpuCores,
        @JsonProperty("ram_gb") double ramGb,
        @JsonProperty("storage_gb") double storageGb,
        @JsonProperty("price_per_hour") BigDecimal pricePerHour,
        @JsonProperty("location") String location,
        @JsonProperty("reliability") double reliability,
        @JsonProperty("dlperf") double dlperf,
        @JsonProperty("dlperf_per_dollar") BigDecimal dlperfPerDollar,
        @JsonProperty("available") boolean available) {

    static OfferView of(Offer offer) {
        return new OfferView(offer.id(), offer.provider(), offer.gpuName(), offer.gpuCount(), offer.vramGb(),
                offer.cpuCores(), offer.ramGb(), offer.storageGb(), offer.pricePerHour(), offer.location(),
                offer.reliability(), offer.dlperf(), OfferSort.dlperfPerDollar(offer), offer.available());
    }
}
