package dev.gpuproxy.server.admin.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.common.audit.AuditTrail;
import dev.gpuproxy.server.common.idempotency.IdempotentRequests;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.credit.rest.LedgerPage;
import dev.gpuproxy.server.credit.service.CreditService;
import dev.gpuproxy.server.credit.service.LedgerEntryView;
import dev.gpuproxy.server.credit.service.WalletView;
import dev.gpuproxy.server.identity.account.service.UserService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.util.UUID;

/** Operator credit tools for one user: grant or adjust credits (audited, idempotent), wallet settings. */
@Path("/api/v1/admin/users/{id}/credits")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_ADMIN)
public class AdminCreditResource {

    private final CreditService credits;
    private final UserService users;
    private final AuditTrail audit;
    private final IdempotentRequests idempotent;
    private final SecurityIdentity identity;

    AdminCreditResource(CreditService credits, UserService users, AuditTrail audit, IdempotentRequests idempotent,
                        SecurityIdentity identity) {
        this.credits = credits;
        this.users = users;
        this.audit = audit;
        this.idempotent = idempotent;
        this.identity = identity;
    }

    /** {@code kind} grant (positive amount) or adjustment (either sign); the reason is kept in the audit log. */
    public record CreditChange(@NotNull BigDecimal amount, @Pattern(regexp = "grant|adjustment") String kind,
                               @NotBlank @Size(max = 500) String reason) {}

    public record WalletSettings(@JsonProperty("credits_cap") BigDecimal creditsCap,
                                 @JsonProperty("credits_auto_renew") Boolean autoRenew,
                                 @JsonProperty("auto_renew_amount") BigDecimal autoRenewAmount,
                                 @JsonProperty("auto_renew_threshold") BigDecimal autoRenewThreshold) {}

    public record UserCredits(WalletView wallet, LedgerPage ledger) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response change(@PathParam("id") long userId, @Valid @NotNull CreditChange change,
                           @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        long adminId = Caller.userId(identity);
        boolean grant = change.kind() == null || change.kind().equals("grant");
        long micros = grant ? Credits.parsePositive(change.amount(), "amount") : Credits.parse(change.amount(), "amount");
        users.get(userId);
        // The ledger key follows the caller's Idempotency-Key, so even concurrent retries credit once.
        String ledgerKey = "admin:" + adminId + ":" + (idempotencyKey == null ? UUID.randomUUID() : idempotencyKey);
        return idempotent.execute(adminId, idempotencyKey, java.util.List.of(userId, change), () -> {
            LedgerEntryView entry = grant
                    ? credits.add(userId, CreditService.Kind.GRANT, micros, change.reason(), ledgerKey)
                    : credits.adjust(userId, micros, change.reason(), ledgerKey);
            audit.record(adminId, grant ? "credits.grant" : "credits.adjust", "user", String.valueOf(userId),
                    "amount=" + Credits.toDecimal(micros).toPlainString() + " reason=" + change.reason()
                            + " ledger_entry=" + entry.id());
            return Response.status(201).entity(entry).build();
        });
    }

    @GET
    public UserCredits credits(@PathParam("id") long userId) {
        users.get(userId);
        return new UserCredits(credits.wallet(userId), LedgerPage.of(credits.ledger(userId, null, 50), 50));
    }

    @PUT
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    public WalletView settings(@PathParam("id") long userId, @NotNull WalletSettings settings) {
        users.get(userId);
        WalletView wallet = credits.configure(userId,
                settings.creditsCap() == null ? null : nonNegative(settings.creditsCap(), "credits_cap"),
                settings.autoRenew(),
                settings.autoRenewAmount() == null ? null : nonNegative(settings.autoRenewAmount(), "auto_renew_amount"),
                settings.autoRenewThreshold() == null ? null
                        : nonNegative(settings.autoRenewThreshold(), "auto_renew_threshold"));
        audit.record(Caller.userId(identity), "credits.settings", "user", String.valueOf(userId), settings.toString());
        return wallet;
    }

    private static long nonNegative(BigDecimal amount, String field) {
        long micros = Credits.parse(amount, field);
        if (micros < 0) {
            throw dev.gpuproxy.server.common.error.ApiException.badRequest(field + " must not be negative");
        }
        return micros;
    }
}
