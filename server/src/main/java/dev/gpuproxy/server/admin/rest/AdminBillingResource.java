package dev.gpuproxy.server.admin.rest;

import dev.gpuproxy.server.admin.service.AdminPayments;
import dev.gpuproxy.server.common.security.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/admin/payments?provider=&status=&user_id=}: every tenant's payments, newest first, with counts
 * by processor, status and currency, and which processors are configured.
 */
@Path("/api/v1/admin/payments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_ADMIN)
public class AdminBillingResource {

    private final AdminPayments payments;

    AdminBillingResource(AdminPayments payments) {
        this.payments = payments;
    }

    @GET
    public AdminPayments.Page list(@QueryParam("provider") String provider, @QueryParam("status") String status,
                                   @QueryParam("user_id") Long userId,
                                   @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                   @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return payments.list(provider, status, userId, limit, offset);
    }
}
