package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.gpu.service.GpuLoadService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The seed product's two load views, next to the balancer's {@code /api/v1/loadbalancer/loads}:
 * {@code GET .../loads/server} (the GPUs this gpuproxyd tracks, with in-flight requests, totals and latency) and
 * {@code GET .../loads/provider} (each provider's offers right now, cheapest per GPU model, and its health). Each has
 * its own root path so the balancer's resource keeps {@code /loads} itself.
 */
public final class GpuLoadResource {

    private GpuLoadResource() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServerLoadView(String source, @JsonProperty("instance_id") Long instanceId, String provider,
                                 @JsonProperty("provider_instance_id") String providerInstanceId,
                                 @JsonProperty("gpu_model") String gpuModel, @JsonProperty("gpu_count") Integer gpuCount,
                                 String state, String endpoint, @JsonProperty("backend_id") Long backendId, String pool,
                                 String kind, String url, @JsonProperty("in_flight") int inFlight, long requests,
                                 long errors, @JsonProperty("ewma_latency_ms") double ewmaLatencyMs,
                                 @JsonProperty("ttft_ms") double ttftMs, boolean ejected) {
        static ServerLoadView of(GpuLoadService.ServerLoad l) {
            return new ServerLoadView(l.source(), l.instanceId(), l.provider(), l.providerInstanceId(), l.gpuModel(),
                    l.gpuCount(), l.state(), l.endpoint(), l.backendId(), l.pool(), l.kind(), l.url(), l.inFlight(),
                    l.requests(), l.errors(), l.ewmaLatencyMs(), l.ttftMs(), l.ejected());
        }
    }

    public record ServerLoadResponse(List<ServerLoadView> gpus, int count, @JsonProperty("in_flight") int inFlight,
                                     long requests) {}

    public record ModelPriceView(@JsonProperty("gpu_model") String gpuModel,
                                 @JsonProperty("price_per_gpu_hour") BigDecimal pricePerGpuHour,
                                 @JsonProperty("price_per_hour") BigDecimal pricePerHour,
                                 @JsonProperty("gpu_count") int gpuCount, @JsonProperty("offer_id") String offerId,
                                 int offers) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProviderLoadView(String provider, String status, String message,
                                   @JsonProperty("checked_at") Instant checkedAt, int offers, int available,
                                   List<ModelPriceView> cheapest) {
        static ProviderLoadView of(GpuLoadService.ProviderLoad p) {
            return new ProviderLoadView(p.provider(), p.status(), p.message(), p.checkedAt(), p.offers(), p.available(),
                    p.cheapest().stream().map(m -> new ModelPriceView(m.gpuModel(), m.pricePerGpuHour(),
                            m.pricePerHour(), m.gpuCount(), m.offerId(), m.offers())).toList());
        }
    }

    public record ProviderLoadResponse(List<ProviderLoadView> providers, int count) {}

    /** {@code GET /api/v1/loadbalancer/loads/server}: tenants see their own GPUs, operators everyone's. */
    @Path("/api/v1/loadbalancer/loads/server")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.ROLE_USER, Caller.ROLE_ADMIN})
    public static class Server {

        private final GpuLoadService loads;
        private final SecurityIdentity identity;

        Server(GpuLoadService loads, SecurityIdentity identity) {
            this.loads = loads;
            this.identity = identity;
        }

        @GET
        public ServerLoadResponse get() {
            List<ServerLoadView> gpus = loads.server(Caller.userId(identity), Caller.isAdmin(identity)).stream()
                    .map(ServerLoadView::of).toList();
            return new ServerLoadResponse(gpus, gpus.size(), gpus.stream().mapToInt(ServerLoadView::inFlight).sum(),
                    gpus.stream().mapToLong(ServerLoadView::requests).sum());
        }
    }

    /** {@code GET /api/v1/loadbalancer/loads/provider}: the same market for everyone. */
    @Path("/api/v1/loadbalancer/loads/provider")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.ROLE_USER, Caller.ROLE_ADMIN})
    public static class Provider {

        private final GpuLoadService loads;

        Provider(GpuLoadService loads) {
            this.loads = loads;
        }

        @GET
        public ProviderLoadResponse get() {
            List<ProviderLoadView> providers = loads.providers().stream().map(ProviderLoadView::of).toList();
            return new ProviderLoadResponse(providers, providers.size());
        }
    }
}
