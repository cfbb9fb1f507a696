package dev.gpuproxy.provider.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The records, exception and default methods of the SPI. */
class ModelTest {

    private static Offer offer(String price, double dlperf) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("bid", null);
        return new Offer("1", "p", "RTX 4090", 2, 24, 16, 64, 100, new BigDecimal(price), "Oslo, NO",
                0.99, dlperf, true, "h1", raw);
    }

    @Test
    void dlperfPerDollarDividesScoreByHourlyPrice() {
        assertEquals(100.0, offer("0.5", 50).dlperfPerDollar(), 1e-9);
        assertEquals(0.0, offer("0", 50).dlperfPerDollar());
        assertEquals(0.0, offer("0.5", 0).dlperfPerDollar());
        assertEquals(48.0, offer("0.5", 50).totalVramGb());
    }

    @Test
    void offerKeepsNullRawValuesReadOnly() {
        Offer offer = offer("1", 1);
        assertTrue(offer.raw().containsKey("bid"));
        assertThrows(UnsupportedOperationException.class, () -> offer.raw().put("x", 1));
    }

    @Test
    void instanceEndpointNeedsHostAndPublishedPort() {
        Instance running = new Instance("9", "p", null, InstanceState.RUNNING, null, 1, null, "1.2.3.4",
                Map.of(8000, 20000), null, null);
        Instance loading = new Instance("9", "p", null, InstanceState.LOADING, null, 1, null, null, null, null, null);

        assertEquals(Optional.of("1.2.3.4:20000"), running.endpoint(8000));
        assertEquals(Optional.empty(), running.endpoint(22));
        assertEquals(Optional.empty(), loading.endpoint(8000));
        assertTrue(loading.portMap().isEmpty());
    }

    @Test
    void builderOmittedFieldsAreNullOrEmpty() {
        OfferQuery query = OfferQuery.builder().minVramGb(24.0).build();
        LaunchSpec spec = LaunchSpec.builder("img").env("A", "1").port(8000).build();

        assertEquals(24.0, query.minVramGb());
        assertEquals(null, query.gpuModel());
        assertEquals(64, query.limitOr(64));
        assertEquals(Map.of("A", "1"), spec.env());
        assertEquals(List.of(8000), spec.ports());
        assertEquals(null, spec.durationHours());
        assertThrows(IllegalArgumentException.class, () -> OfferQuery.builder().limit(0).build());
    }

    @Test
    void statusesMapToKindsWithRetryability() {
        assertEquals(ProviderException.Kind.GONE, ProviderException.forStatus("p", 410, "x").kind());
        assertEquals(ProviderException.Kind.INVALID_REQUEST, ProviderException.forStatus("p", 422, "x").kind());
        assertEquals(ProviderException.Kind.UNAUTHORIZED, ProviderException.forStatus("p", 403, "x").kind());
        ProviderException rateLimited = ProviderException.forStatus("p", 429, "slow down");
        assertTrue(rateLimited.retryable());
        assertEquals(429, rateLimited.httpStatus());
        assertEquals("p: slow down", rateLimited.getMessage());
        assertTrue(ProviderException.forStatus("p", 500, "x").retryable());
        assertFalse(ProviderException.forStatus("p", 400, "x").retryable());
    }

    @Test
    void optionalOperationsAreUnsupportedUnlessOverridden() {
        GpuProvider minimal = new GpuProvider() {
            public String id() {
                return "minimal";
            }

            public Set<Capability> capabilities() {
                return Set.of();
            }

            public List<Offer> listOffers(OfferQuery query) {
                return List.of();
            }

            public Instance launch(String offerId, LaunchSpec spec) {
                throw new AssertionError();
            }

            public Optional<Instance> get(String instanceId) {
                return Optional.empty();
            }

            public List<Instance> list() {
                return List.of();
            }

            public void destroy(String instanceId) {
            }
        };

        ProviderException e = assertThrows(ProviderException.class, () -> minimal.extend("1", Duration.ofHours(1)));
        assertEquals(ProviderException.Kind.UNSUPPORTED, e.kind());
        assertFalse(e.retryable());
        assertThrows(ProviderException.class, () -> minimal.stop("1"));
        assertThrows(ProviderException.class, () -> minimal.start("1"));
    }
}
