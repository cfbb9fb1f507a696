package dev.gpuproxy.server.lb.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.auth.security.Caller;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.lb.Strategy;
import dev.gpuproxy.server.lb.service.LoadBalancerService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Live balancer state and strategies: {@code GET /api/v1/loadbalancer/loads}, {@code GET .../load?instance_id=},
 * {@code GET|PUT .../strategy}. Tenants see and change their own pools; admins everything.
 */
@Path("/api/v1/loadbalancer")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.ROLE_USER, Caller.ROLE_ADMIN})
public class LoadBalancerResource {

    private final LoadBalancerService service;
    private final SecurityIdentity identity;

    LoadBalancerResource(LoadBalancerService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoadView(@JsonProperty("backend_id") long backendId, String pool,
                           @JsonProperty("pool_id") long poolId, @JsonProperty("pool_strategy") String poolStrategy,
                           @JsonProperty("private") boolean privatePool, String kind, String url,
                           @JsonProperty("instance_id") Long instanceId, @JsonProperty("in_flight") int inFlight,
                           long requests, long errors, @JsonProperty("ewma_latency_ms") double ewmaLatencyMs,
                           @JsonProperty("ttft_ms") double ttftMs,
                           @JsonProperty("consecutive_failures") int consecutiveFailures, boolean ejected,
                           double weight, @JsonProperty("price_per_hour") java.math.BigDecimal pricePerHour,
                           @JsonProperty("output_tokens_per_second") Double outputTokensPerSecond,
                           @JsonProperty("cost_per_1m_tokens") Double costPerMillionTokens) {
        public static LoadView of(LoadBalancerService.Load l) {
            return new LoadView(l.backendId(), l.pool(), l.poolId(), l.poolStrategy(), l.privatePool(), l.kind(),
                    l.url(), l.instanceId(), l.inFlight(), l.requests(), l.errors(), l.ewmaLatencyMs(), l.ttftMs(),
                    l.consecutiveFailures(), l.ejected(), l.weight(), l.pricePerHour(), l.outputTokensPerSecond(),
                    l.costPerMillionTokens());
        }
    }

    public record LoadsView(String strategy, List<LoadView> loads, int count) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StrategyView(String strategy, String scope, String pool, @JsonProperty("pool_id") Long poolId,
                               List<String> valid) {
        static StrategyView of(LoadBalancerService.StrategySetting s) {
            return new StrategyView(s.strategy(), s.scope(), s.pool(), s.poolId(), Strategy.NAMES);
        }
    }

    public record StrategyChange(@NotBlank @Size(max = 64) String strategy, @Size(max = 200) String pool) {}

    @GET
    @Path("/loads")
    public LoadsView loads(@QueryParam("pool") String pool) {
        LoadBalancerService.Viewer viewer = viewer();
        List<LoadView> loads = service.loads(viewer, pool).stream().map(LoadView::of).toList();
        return new LoadsView(service.strategy(viewer, null).strategy(), loads, loads.size());
    }

    @GET
    @Path("/load")
    public LoadView load(@QueryParam("instance_id") String instanceId) {
        if (instanceId == null || !instanceId.strip().matches("\\d{1,18}")) {
            throw ApiException.badRequest("instance_id must be the id of one of your instances");
        }
        return LoadView.of(service.load(viewer(), Long.parseLong(instanceId.strip())));
    }

    @GET
    @Path("/strategy")
    public StrategyView strategy(@QueryParam("pool") String pool) {
        return StrategyView.of(service.strategy(viewer(), pool));
    }

    @PUT
    @Path("/strategy")
    @Consumes(MediaType.APPLICATION_JSON)
    public StrategyView setStrategy(@Valid @NotNull StrategyChange change) {
        return StrategyView.of(service.setStrategy(viewer(), change.strategy(),
                change.pool() == null || change.pool().isBlank() ? null : change.pool().strip()));
    }

    private LoadBalancerService.Viewer viewer() {
        return new LoadBalancerService.Viewer(Caller.userId(identity), Caller.isAdmin(identity));
    }
}
