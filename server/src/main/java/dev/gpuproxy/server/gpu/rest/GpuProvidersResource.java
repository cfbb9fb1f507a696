package dev.gpuproxy.server.gpu.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.provider.spi.Capability;
import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.gpu.service.ProviderHealth;
import dev.gpuproxy.server.gpu.service.ProviderRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** {@code GET /api/v1/gpu/providers}: the enabled providers, what they can do, and how their last call went. */
@Path("/api/v1/gpu/providers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_USER)
public class GpuProvidersResource {

    private final ProviderRegistry registry;
    private final ProviderHealth health;

    GpuProvidersResource(ProviderRegistry registry, ProviderHealth health) {
        this.registry = registry;
        this.health = health;
    }

    /**
     * @param status    {@code ok}, {@code failing} or {@code unknown} (not called yet)
     * @param message   the last failure, or null
     * @param checkedAt when the last call ended, or null
     */
    public record ProviderView(
            @JsonProperty("id") String id,
            @JsonProperty("capabilities") List<String> capabilities,
            @JsonProperty("status") String status,
            @JsonProperty("message") String message,
            @JsonProperty("checked_at") Instant checkedAt) {
    }

    public record ProvidersResponse(@JsonProperty("providers") List<ProviderView> providers) {
    }

    @GET
    public ProvidersResponse list() {
        return new ProvidersResponse(registry.enabled().stream().map(provider -> {
            var status = health.status(provider.id());
            List<String> capabilities = provider.capabilities().stream().sorted()
                    .map(Capability::name).map(name -> name.toLowerCase(Locale.ROOT)).toList();
            return new ProviderView(provider.id(), capabilities,
                    status.map(s -> s.ok() ? "ok" : "failing").orElse("unknown"),
                    status.map(ProviderHealth.Status::message).orElse(null),
                    status.map(ProviderHealth.Status::at).orElse(null));
        }).toList());
    }
}
