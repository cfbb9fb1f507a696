package dev.gpuproxy.server.billing.rest;

import dev.gpuproxy.server.billing.stripe.StripeWebhooks;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;

/** Stripe's webhook deliveries. Public, but nothing happens unless the signature over the raw body verifies. */
@Path("/api/v1/billing/webhooks/stripe")
@PermitAll
public class StripeWebhookResource {

    private final StripeWebhooks webhooks;

    StripeWebhookResource(StripeWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    /** The body is taken as raw bytes: the signature covers them exactly as sent. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public StripeWebhooks.Outcome receive(byte[] body, @HeaderParam("Stripe-Signature") String signature) {
        return webhooks.handle(new String(body, StandardCharsets.UTF_8), signature);
    }
}
