package dev.gpuproxy.server.admin.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.autopilot.service.AutopilotStatus;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.AutoscaleSpec;
import dev.gpuproxy.server.lb.service.BackendView;
import dev.gpuproxy.server.lb.service.LbAdminService;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.lb.service.PoolView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;

/** Operator CRUD of pools and backends (the same shapes as BACKENDS_FILE); keys are always shown masked. */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_ADMIN)
public class AdminLbResource {

    private final LbAdminService admin;
    private final PoolRegistry registry;
    private final AutopilotStatus autopilot;

    AdminLbResource(LbAdminService admin, PoolRegistry registry, AutopilotStatus autopilot) {
        this.admin = admin;
        this.registry = registry;
        this.autopilot = autopilot;
    }

    public record NewPool(@NotBlank @Size(max = 200) String name, String strategy, List<String> aliases,
                          AutoscaleSpec autoscale) {}

    public record NewBackend(@NotBlank String pool, @NotBlank String kind, @NotBlank @Size(max = 1000) String url,
                             @JsonProperty("api_keys") List<@NotBlank String> apiKeys, @Positive Double weight,
                             @Positive @JsonProperty("rate_limit_rpm") Integer rateLimitRpm,
                             @JsonProperty("gpu_model") String gpuModel,
                             @PositiveOrZero @JsonProperty("vram_gb") Integer vramGb,
                             @PositiveOrZero @JsonProperty("price_per_hour") BigDecimal pricePerHour,
                             @JsonProperty("health_path") String healthPath) {}

    public record PoolList(List<PoolView> data) {}

    public record BackendList(List<BackendView> data) {}

    @GET
    @Path("/pools")
    public PoolList pools() {
        return new PoolList(registry.pools().stream().map(this::view).toList());
    }

    @POST
    @Path("/pools")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createPool(@Valid @NotNull NewPool request) {
        PoolView pool = admin.createPool(request.name().trim(), request.strategy(), request.aliases(),
                request.autoscale());
        return Response.created(URI.create("/api/v1/admin/pools/" + pool.id())).entity(withAutoscale(pool)).build();
    }

    /** Makes a pool autoscaled, or changes how (the same object as BACKENDS_FILE's {@code autoscale}). */
    @PUT
    @Path("/pools/{id}/autoscale")
    @Consumes(MediaType.APPLICATION_JSON)
    public PoolView setAutoscale(@PathParam("id") long id, @NotNull AutoscaleSpec autoscale) {
        return withAutoscale(admin.setAutoscale(id, autoscale));
    }

    /** Stops autoscaling a pool; the GPUs rented for it are released by the autopilot's next round. */
    @DELETE
    @Path("/pools/{id}/autoscale")
    public PoolView removeAutoscale(@PathParam("id") long id) {
        return withAutoscale(admin.setAutoscale(id, null));
    }

    private PoolView withAutoscale(PoolView view) {
        return registry.pools().stream().filter(p -> p.id() == view.id()).findFirst().map(this::view).orElse(view);
    }

    private PoolView view(Pool pool) {
        return PoolView.of(pool).withAutoscale(autopilot.of(pool).orElse(null));
    }

    @DELETE
    @Path("/pools/{id}")
    public Response deletePool(@PathParam("id") long id) {
        admin.deletePool(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/backends")
    public BackendList backends() {
        return new BackendList(registry.pools().stream()
                .flatMap(p -> p.backends().stream().map(b -> BackendView.of(b, p.name()))).toList());
    }

    @POST
    @Path("/backends")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response addBackend(@Valid @NotNull NewBackend r) {
        BackendView backend = admin.addBackend(new LbAdminService.NewBackend(r.pool(), r.kind(), r.url(), r.apiKeys(),
                r.weight(), r.rateLimitRpm(), r.gpuModel(), r.vramGb(), r.pricePerHour(), r.healthPath()));
        return Response.created(URI.create("/api/v1/admin/backends/" + backend.id())).entity(backend).build();
    }

    @DELETE
    @Path("/backends/{id}")
    public Response deleteBackend(@PathParam("id") long id) {
        admin.deleteBackend(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/backends/{id}/enable-keys")
    public BackendView enableKeys(@PathParam("id") long id) {
        return admin.enableKeys(id);
    }
}
