package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.Offer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Orders of the offer list, named as in the API's {@code sort} parameter. Ties are broken by provider and offer id,
 * so paging through a list never shows an offer twice.
 */
public enum OfferSort {
    /** Cheapest first (the default). */
    PRICE("price", Comparator.comparing(Offer::pricePerHour)),
    /** Most memory per GPU first, then most GPUs, then cheapest. */
    VRAM("vram", Comparator.comparingDouble(Offer::vramGb).reversed()
            .thenComparing(Comparator.comparingInt(Offer::gpuCount).reversed())
            .thenComparing(Offer::pricePerHour)),
    /** Most DLPerf per dollar-hour first (value for money, as vast.ai users sort), then cheapest. */
    DLPERF_PER_DOLLAR("dlperf_per_dollar", Comparator.comparing(OfferSort::dlperfPerDollar).reversed()
            .thenComparing(Offer::pricePerHour));

    private final String apiName;
    private final Comparator<Offer> order;

    OfferSort(String apiName, Comparator<Offer> order) {
        this.apiName = apiName;
        this.order = order.thenComparing(Offer::provider).thenComparing(Offer::id);
    }

    public String apiName() {
        return apiName;
    }

    public Comparator<Offer> comparator() {
        return order;
    }

    public static Optional<OfferSort> fromApiName(String name) {
        return Arrays.stream(values()).filter(sort -> sort.apiName.equals(name)).findFirst();
    }

    public static String apiNames() {
        return Arrays.stream(values()).map(OfferSort::apiName).collect(Collectors.joining(", "));
    }

    /** DLPerf per US dollar-hour to two decimals, computed in decimal; 0 when score or price is unknown. */
    public static BigDecimal dlperfPerDollar(Offer offer) {
        if (!(offer.dlperf() > 0) || Double.isInfinite(offer.dlperf()) || offer.pricePerHour().signum() <= 0) {
            return BigDecimal.ZERO;
        }
        return BigDecimal.valueOf(offer.dlperf()).divide(offer.pricePerHour(), 2, RoundingMode.HALF_EVEN);
    }
}
