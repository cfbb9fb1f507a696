package dev.gpuproxy.server.gpu.service;

import dev.gpuproxy.provider.spi.GpuProvider;
import dev.gpuproxy.provider.spi.Offer;
import dev.gpuproxy.server.lb.service.LoadBalancerService;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two load views of the seed product's {@code load server} and {@code load provider}: the GPUs this gpuproxyd
 * tracks with their live balancer state, and what each provider has on offer right now.
 */
@ApplicationScoped
public class GpuLoadService {

    private final InstanceRecords instances;
    private final LoadBalancerService balancer;
    private final ProviderRegistry registry;
    private final OfferService offers;
    private final ProviderHealth health;

    GpuLoadService(InstanceRecords instances, LoadBalancerService balancer, ProviderRegistry registry,
                   OfferService offers, ProviderHealth health) {
        this.instances = instances;
        this.balancer = balancer;
        this.registry = registry;
        this.offers = offers;
        this.health = health;
    }

    /**
     * One tracked GPU: a live instance (with its backend's load once it serves traffic) or a backend the caller may
     * route to that is not an instance (the operator's servers, hosted APIs).
     *
     * @param source {@code instance} or {@code backend}
     * @param state  the instance's state, or for a plain backend {@code ok} / {@code ejected}
     */
    public record ServerLoad(String source, Long instanceId, String provider, String providerInstanceId,
                             String gpuModel, Integer gpuCount, String state, String endpoint, Long backendId,
                             String pool, String kind, String url, int inFlight, long requests, long errors,
                             double ewmaLatencyMs, double ttftMs, boolean ejected) {}

    /** The cheapest offer of one GPU model at a provider. */
    public record ModelPrice(String gpuModel, BigDecimal pricePerGpuHour, BigDecimal pricePerHour, int gpuCount,
                             String offerId, int offers) {}

    /** One provider's market as listed now: {@code status} ok, or failing with the provider's message. */
    public record ProviderLoad(String provider, String status, String message, Instant checkedAt, int offers,
                               int available, List<ModelPrice> cheapest) {}

    /** The caller's live instances (an operator: everyone's) and the other backends they may route to. */
    public List<ServerLoad> server(long userId, boolean admin) {
        LoadBalancerService.Viewer viewer = new LoadBalancerService.Viewer(userId, admin);
        List<LoadBalancerService.Load> loads = balancer.loads(viewer, null);
        Map<Long, LoadBalancerService.Load> byInstance = new HashMap<>();
        List<ServerLoad> rows = new ArrayList<>();
        for (LoadBalancerService.Load load : loads) {
            if (load.instanceId() != null) {
                byInstance.put(load.instanceId(), load);
            }
        }
        List<GpuInstance> live = admin ? instances.listLive() : instances.listOwned(userId, false);
        for (GpuInstance i : live) {
            LoadBalancerService.Load l = byInstance.remove(i.id());
            rows.add(new ServerLoad("instance", i.id(), i.provider(), i.providerInstanceId(), i.gpuModel(),
                    i.gpuCount(), i.state(), i.endpoint(), l == null ? null : l.backendId(),
                    l == null ? null : l.pool(), l == null ? null : l.kind(), l == null ? null : l.url(),
                    l == null ? 0 : l.inFlight(), l == null ? 0 : l.requests(), l == null ? 0 : l.errors(),
                    l == null ? 0 : l.ewmaLatencyMs(), l == null ? 0 : l.ttftMs(), l != null && l.ejected()));
        }
        for (LoadBalancerService.Load l : loads) {
            if (l.instanceId() != null && !byInstance.containsKey(l.instanceId())) {
                continue; // shown with its instance above
            }
            rows.add(new ServerLoad("backend", l.instanceId(), null, null, null, null,
                    l.ejected() ? "ejected" : "ok", null, l.backendId(), l.pool(), l.kind(), l.url(), l.inFlight(),
                    l.requests(), l.errors(), l.ewmaLatencyMs(), l.ttftMs(), l.ejected()));
        }
        return rows;
    }

    /** Every enabled provider's offers right now (each asked once, as a listing asks), cheapest per GPU model. */
    public List<ProviderLoad> providers() {
        List<ProviderLoad> result = new ArrayList<>();
        for (GpuProvider provider : registry.enabled()) {
            OfferListing listing = offers.list(OfferFilter.parse(provider.id(), null, null, null, null, null, "price",
                    String.valueOf(OfferFilter.MAX_LIMIT), "0"));
            String failure = listing.errors().isEmpty() ? null : listing.errors().get(0).message();
            var status = health.status(provider.id());
            result.add(new ProviderLoad(provider.id(), failure == null ? "ok" : "failing", failure,
                    status.map(ProviderHealth.Status::at).orElse(null),
                    listing.total(), (int) listing.offers().stream().filter(Offer::available).count(),
                    cheapestPerModel(listing.offers())));
        }
        return result;
    }

    /** Per GPU model (as the provider names it), the available offer with the lowest price per GPU hour. */
    static List<ModelPrice> cheapestPerModel(List<Offer> offers) {
        Map<String, ModelPrice> best = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Offer offer : offers) {
            if (!offer.available()) {
                continue;
            }
            String model = offer.gpuName() == null ? "unknown" : offer.gpuName();
            counts.merge(model, 1, Integer::sum);
            int gpus = Math.max(offer.gpuCount(), 1);
            BigDecimal perGpu = offer.pricePerHour().divide(BigDecimal.valueOf(gpus), MathContext.DECIMAL64)
                    .stripTrailingZeros();
            ModelPrice known = best.get(model);
            if (known == null || perGpu.compareTo(known.pricePerGpuHour()) < 0) {
                best.put(model, new ModelPrice(model, perGpu, offer.pricePerHour(), offer.gpuCount(), offer.id(), 0));
            }
        }
        return best.values().stream()
                .map(p -> new ModelPrice(p.gpuModel(), p.pricePerGpuHour(), p.pricePerHour(), p.gpuCount(),
                        p.offerId(), counts.get(p.gpuModel())))
                .sorted(Comparator.comparing(ModelPrice::pricePerGpuHour).thenComparing(ModelPrice::gpuModel))
                .toList();
    }
}
