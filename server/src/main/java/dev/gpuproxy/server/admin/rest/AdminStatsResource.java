package dev.gpuproxy.server.admin.rest;

import dev.gpuproxy.server.admin.service.PlatformStats;
import dev.gpuproxy.server.common.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** GET /api/v1/admin/stats: users, keys, GPUs, reservations, usage, credits and revenue, from live data. */
@Path("/api/v1/admin/stats")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_ADMIN)
public class AdminStatsResource {

    private final PlatformStats stats;

    AdminStatsResource(PlatformStats stats) {
        this.stats = stats;
    }

    @GET
    public PlatformStats.Stats get() {
        return stats.compute();
    }
}
