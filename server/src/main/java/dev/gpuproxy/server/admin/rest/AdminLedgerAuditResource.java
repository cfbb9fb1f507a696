package dev.gpuproxy.server.admin.rest;

import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.credit.service.LedgerAudit;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** GET /api/v1/admin/credits/audit: checks that every wallet equals the sum of its ledger. */
@Path("/api/v1/admin/credits/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_ADMIN)
public class AdminLedgerAuditResource {

    private final LedgerAudit audit;

    AdminLedgerAuditResource(LedgerAudit audit) {
        this.audit = audit;
    }

    @GET
    public LedgerAudit.Report check() {
        return audit.check();
    }
}
