package dev.gpuproxy.server.billing.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.billing.crypto.CryptoPayments;
import dev.gpuproxy.server.billing.service.BillingService.PaymentCreated;
import dev.gpuproxy.server.billing.service.BillingService.PaymentPage;
import dev.gpuproxy.server.billing.service.BillingService;
import dev.gpuproxy.server.billing.service.PaymentView;
import dev.gpuproxy.server.billing.service.PreferredPayment;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.common.idempotency.IdempotentRequests;
import dev.gpuproxy.server.common.security.Caller;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;

/** Paying for credits: start a payment, list one's payments, submit a crypto transaction. */
@Path("/api/v1/billing")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.ROLE_USER)
public class BillingResource {

    private final BillingService billing;
    private final CryptoPayments crypto;
    private final SecurityIdentity identity;

    BillingResource(BillingService billing, CryptoPayments crypto, SecurityIdentity identity) {
        this.billing = billing;
        this.crypto = crypto;
        this.identity = identity;
    }

    public record PaymentRequest(@NotNull BigDecimal amount, @Size(max = 16) String currency,
                                 @Size(max = 16) String provider,
                                 @Size(max = 16) @JsonProperty("pay_currency") String payCurrency) {}

    /** The answer to a new payment: the payment and what to do next ({@code next.type} says which). */
    public record PaymentResponse(PaymentView payment, Map<String, Object> next) {}

    public record VerifyRequest(@NotNull @JsonProperty("payment_id") Long paymentId,
                                @NotBlank @Pattern(regexp = "0x[0-9a-fA-F]{64}", message = "must be a 0x-prefixed 32-byte hash")
                                @JsonProperty("tx_hash") String txHash) {}

    @POST
    @Path("/payment")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response pay(@Valid @NotNull PaymentRequest request,
                        @HeaderParam("X-Billing") String billingHeader,
                        @HeaderParam(PreferredPayment.HEADER) String preferred,
                        @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey) {
        PaymentCreated created = billing.create(Caller.userId(identity),
                new BillingService.CreatePayment(request.amount(), request.currency(), request.provider(),
                        request.payCurrency()),
                billingHeader, preferred, idempotencyKey);
        Response.ResponseBuilder response = Response
                .created(URI.create("/api/v1/billing/transactions/" + created.payment().id()))
                .entity(new PaymentResponse(created.payment(), created.next()));
        if (created.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }

    @GET
    @Path("/transactions")
    public PaymentPage transactions(@QueryParam("status") String status, @QueryParam("limit") Integer limit,
                                    @QueryParam("offset") Integer offset) {
        return billing.list(Caller.userId(identity), status, limit, offset);
    }

    @GET
    @Path("/transactions/{id}")
    public PaymentView transaction(@PathParam("id") long id) {
        return billing.find(Caller.userId(identity), id)
                .orElseThrow(() -> ApiException.notFound("No payment " + id));
    }

    @POST
    @Path("/crypto/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response verify(@Valid @NotNull VerifyRequest request) {
        CryptoPayments.Verification result = crypto.verify(Caller.userId(identity), request.paymentId(),
                request.txHash());
        return Response.status(result.payment().status().equals("succeeded") ? 200 : 202).entity(result).build();
    }
}
