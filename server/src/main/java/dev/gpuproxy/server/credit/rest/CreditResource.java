package dev.gpuproxy.server.credit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.auth.security.Caller;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.LedgerEntryView;
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
import java.util.List;

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

    /** A page of ledger entries, newest first; pass {@code next_before} as {@code before} for the next page. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LedgerPage(List<LedgerEntryView> data, @JsonProperty("next_before") Long nextBefore) {
        public static LedgerPage of(List<LedgerEntryView> entries, int limit) {
            Long next = entries.size() == limit ? entries.get(entries.size() - 1).id() : null;
            return new LedgerPage(entries, next);
        }
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
