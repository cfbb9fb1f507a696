package dev.gpuproxy.server.credit.rest;

import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.WalletView;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The caller's wallet and ledger. */
@Path("/api/v1/credits")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_USER)
public class CreditResource {

    private final CreditService credits;
    private final SecurityIdentity identity;

    CreditResource(CreditService credits, SecurityIdentity identity) {
        this.credits = credits;
        this.identity = identity;
    }

    @GET
    public WalletView wallet() {
        return credits.wallet(Caller.userId(identity));
    }

    @GET
    @Path("/ledger")
    public LedgerPage ledger(@QueryParam("before") @Min(1) Long before,
                             @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return LedgerPage.of(credits.ledger(Caller.userId(identity), before, limit), limit);
    }
}
