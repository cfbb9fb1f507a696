package dev.gpuproxy.server.admin.rest;

import dev.gpuproxy.server.admin.service.ProviderOverview;
import dev.gpuproxy.server.common.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/v1/admin/providers}: every GPU provider, enabled or not, its last outcome and live instances. */
@Path("/api/v1/admin/providers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_ADMIN)
public class AdminProviderResource {

    private final ProviderOverview providers;

    AdminProviderResource(ProviderOverview providers) {
        this.providers = providers;
    }

    public record ProviderList(List<ProviderOverview.ProviderRow> data) {}

    @GET
    public ProviderList list() {
        return new ProviderList(providers.providers());
    }
}
