package dev.gpuproxy.server.gpu.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.provider.spi.OfferQuery;
import dev.gpuproxy.server.common.error.ApiException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfferFilterTest {

    private static OfferFilter parse(String name, String value) {
        Map<String, String> p = Map.of(name, value);
        return OfferFilter.parse(p.get("provider"), p.get("min_vram"), p.get("max_price"), p.get("gpu_model"),
                p.get("location"), p.get("min_reliability"), p.get("sort"), p.get("limit"), p.get("offset"));
    }

    private static Offer offer(String provider, String id, String gpu, double vram, String price, String location,
                               double reliability, double dlperf) {
        return new Offer(id, provider, gpu, 1, vram, 8, 32, 100, new BigDecimal(price), location, reliability, dlperf,
                true, null, Map.of());
    }

    @Test
    void noParametersMeanEveryOfferCheapestFirstFiftyAtATime() {
        OfferFilter filter = OfferFilter.parse(null, null, null, null, null, null, null, null, null);

        assertThat(filter.sort()).isEqualTo(OfferSort.PRICE);
        assertThat(filter.limit()).isEqualTo(50);
        assertThat(filter.offset()).isZero();
        assertThat(filter.providerQuery().limit()).isEqualTo(64);
    }

    @Test
    void badValuesAreRejectedNamingTheParameter() {
        Map<String, String> bad = Map.of(
                "min_vram", "lots", "max_price", "-1", "min_reliability", "1.5", "sort", "cheapest",
                "limit", "0", "offset", "-3");
        bad.forEach((name, value) -> assertThatThrownBy(() -> parse(name, value))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_parameter");
                    assertThat(e.extensions()).containsEntry("parameter", name);
                    assertThat(e.detail()).startsWith(name).contains(value);
                }));
    }

    @Test
    void numbersMustBePlainDecimals() {
        for (String notPlain : List.of("NaN", "Infinity", "0x1p3", "24d", "24 GB")) {
            assertThatThrownBy(() -> parse("min_vram", notPlain)).isInstanceOf(ApiException.class);
        }
        assertThat(parse("min_vram", "2.4e1").minVramGb()).isEqualTo(24.0);
        assertThat(parse("max_price", "0.50").maxPricePerHour()).isEqualByComparingTo("0.5");
    }

    @Test
    void providersAreAskedForEnoughOffersToFillTheRequestedPage() {
        assertThat(parse("limit", "200").providerQuery().limit()).isEqualTo(256);
        assertThat(parse("offset", "100").providerQuery().limit()).isEqualTo(192);
    }

    @Test
    void gpuModelMatchesAnyCaseAndUnderscoresAsSpaces() {
        Offer rtx = offer("vastai", "1", "RTX 4090", 24, "0.5", "Oslo, NO", 0.99, 90);

        assertThat(OfferMatcher.matches(rtx, OfferQuery.builder().gpuModel("rtx_4090").build())).isTrue();
        assertThat(OfferMatcher.matches(rtx, OfferQuery.builder().gpuModel("4090").build())).isTrue();
        assertThat(OfferMatcher.matches(rtx, OfferQuery.builder().gpuModel("A100").build())).isFalse();
    }

    @Test
    void twoLetterLocationIsACountryCodeLongerTextIsContained() {
        Offer oslo = offer("vastai", "1", "RTX 4090", 24, "0.5", "Oslo, NO", 0.99, 90);
        Offer nowhere = offer("ionet", "2", "RTX 4090", 24, "0.5", null, 0, 0);

        assertThat(OfferMatcher.matches(oslo, OfferQuery.builder().location("no").build())).isTrue();
        assertThat(OfferMatcher.matches(oslo, OfferQuery.builder().location("os").build())).isFalse();
        assertThat(OfferMatcher.matches(oslo, OfferQuery.builder().location("oslo").build())).isTrue();
        assertThat(OfferMatcher.matches(nowhere, OfferQuery.builder().location("NO").build())).isFalse();
    }

    @Test
    void priceAndMemoryBoundsAreInclusive() {
        Offer offer = offer("vastai", "1", "A100", 80, "1.10", "Texas, US", 0.98, 110);

        assertThat(OfferMatcher.matches(offer, OfferQuery.builder()
                .maxPricePerHour(new BigDecimal("1.1")).minVramGb(80.0).minReliability(0.98).build())).isTrue();
        assertThat(OfferMatcher.matches(offer, OfferQuery.builder()
                .maxPricePerHour(new BigDecimal("1.09")).build())).isFalse();
    }

    @Test
    void sortsOrderByPriceMemoryOrValueWithStableTies() {
        Offer cheap = offer("ionet", "c", "RTX 4090", 24, "0.35", "NO", 0, 0);
        Offer tie = offer("static", "t", "L4", 24, "0.350", "NO", 1, 0);
        Offer big = offer("vastai", "b", "A100", 80, "1.1", "US", 0.98, 110);
        Offer value = offer("vastai", "v", "RTX 4090", 24, "0.6347222222222222", "NO", 0.99, 91.54);
        List<Offer> offers = new ArrayList<>(List.of(big, value, tie, cheap));

        offers.sort(OfferSort.PRICE.comparator());
        assertThat(offers).containsExactly(cheap, tie, value, big);
        offers.sort(OfferSort.VRAM.comparator());
        assertThat(offers).containsExactly(big, cheap, tie, value);
        offers.sort(OfferSort.DLPERF_PER_DOLLAR.comparator());
        assertThat(offers).containsExactly(value, big, cheap, tie);
        assertThat(OfferSort.dlperfPerDollar(value)).isEqualByComparingTo("144.22");
        assertThat(OfferSort.dlperfPerDollar(cheap)).isEqualByComparingTo("0");
    }
}
