package dev.gpuproxy.server.admin.rest;

import dev.gpuproxy.server.admin.service.AdminGpuInventory;
import dev.gpuproxy.server.common.security.Caller;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Every tenant's GPU instances and reservations ({@code GET /api/v1/admin/instances?state=live|ended|all|<state>},
 * {@code GET /api/v1/admin/reservations?state=live|all|<state>}), and releasing one on the tenant's behalf
 * ({@code DELETE .../{id}}, audited).
 */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_ADMIN)
public class AdminGpuResource {

    private final AdminGpuInventory inventory;
    private final SecurityIdentity identity;

    AdminGpuResource(AdminGpuInventory inventory, SecurityIdentity identity) {
        this.inventory = inventory;
        this.identity = identity;
    }

    @GET
    @Path("/instances")
    public AdminGpuInventory.Page<AdminGpuInventory.InstanceRow> instances(
            @QueryParam("state") String state, @QueryParam("provider") String provider,
            @QueryParam("user_id") Long userId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return inventory.instances(state, provider, userId, limit, offset);
    }

    @GET
    @Path("/instances/{id}")
    public AdminGpuInventory.InstanceRow instance(@PathParam("id") long id) {
        return inventory.instance(id);
    }

    @DELETE
    @Path("/instances/{id}")
    public AdminGpuInventory.InstanceRow releaseInstance(@PathParam("id") long id) {
        return inventory.releaseInstance(Caller.userId(identity), id);
    }

    @GET
    @Path("/reservations")
    public AdminGpuInventory.Page<AdminGpuInventory.ReservationRow> reservations(
            @QueryParam("state") String state, @QueryParam("user_id") Long userId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return inventory.reservations(state, userId, limit, offset);
    }

    @GET
    @Path("/reservations/{id}")
    public AdminGpuInventory.ReservationRow reservation(@PathParam("id") long id) {
        return inventory.reservation(id);
    }

    @DELETE
    @Path("/reservations/{id}")
    public AdminGpuInventory.ReleasedReservation releaseReservation(@PathParam("id") long id) {
        return inventory.releaseReservation(Caller.userId(identity), id);
    }
}
