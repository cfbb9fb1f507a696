package dev.gpuproxy.server.billing.stripe;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.gpuproxy.server.billing.repository.PaymentEntity;
import dev.gpuproxy.server.billing.repository.PaymentRepository;
import dev.gpuproxy.server.billing.service.PaymentLedger;
import dev.gpuproxy.server.billing.service.PaymentStatus;
import dev.gpuproxy.server.common.audit.AuditTrail;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.BillingConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.Optional;

/**
 * Applies Stripe's signed webhook deliveries. The raw body is verified with {@link Webhook#constructEvent} (HMAC of
 * {@code "<t>.<body>"}, 300 s tolerance). Each event id is applied once: it is recorded in {@code webhook_events} in
 * the same transaction as its effect, so a repeat changes nothing and a failure leaves it to Stripe's redelivery.
 *
 * <p>Deliveries arrive in any order. A payment is credited once whichever success event comes first
 * ({@code checkout.session.completed} when paid, {@code checkout.session.async_payment_succeeded},
 * {@code payment_intent.succeeded}); a refund or dispute takes back what was credited, and one that arrives before
 * the success leaves the payment reversed, so the late success credits nothing.
 */
@ApplicationScoped
public class StripeWebhooks {

    public static final String PROVIDER = "stripe";

    /** What a delivery did; {@code outcome} is for people reading Stripe's dashboard. */
    public record Outcome(boolean received, @JsonProperty("event_id") String eventId, String type, String outcome) {}

    private final BillingConfig.Stripe config;
    private final PaymentRepository payments;
    private final PaymentLedger ledger;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final Clock clock;

    StripeWebhooks(BillingConfig config, PaymentRepository payments, PaymentLedger ledger, AuditTrail audit,
                   ObjectMapper json, Clock clock) {
        this.config = config.stripe();
        this.payments = payments;
        this.ledger = ledger;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    public Outcome handle(String payload, String signature) {
        String secret = config.webhookSecret().orElseThrow(() -> new ApiException(503, "webhooks_not_configured",
                "Stripe webhooks are not configured on this server (STRIPE_WEBHOOK_SECRET)"));
        if (signature == null || signature.isBlank()) {
            throw new ApiException(400, "invalid_signature", "The Stripe-Signature header is missing");
        }
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, secret, Webhook.DEFAULT_TOLERANCE, clock);
        } catch (SignatureVerificationException e) {
            Log.warnf("Refused a Stripe webhook delivery: %s", e.getMessage());
            throw new ApiException(400, "invalid_signature", "The Stripe-Signature does not match this body, or its"
                    + " timestamp is more than " + Webhook.DEFAULT_TOLERANCE + " seconds away");
        } catch (RuntimeException e) {
            throw new ApiException(400, "malformed_event", "The body is not a Stripe event");
        }
        JsonNode object;
        try {
            object = json.readTree(payload).path("data").path("object");
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed_event", "The body is not a Stripe event");
        }
        if (event.getId() == null || event.getType() == null) {
            throw new ApiException(400, "malformed_event", "The event has no id or type");
        }
        return QuarkusTransaction.requiringNew().call(() -> apply(event.getId(), event.getType(), object));
    }

    private Outcome apply(String eventId, String type, JsonNode object) {
        if (!payments.recordWebhookEvent(PROVIDER, eventId, clock.instant())) {
            return new Outcome(true, eventId, type, "duplicate");
        }
        String outcome = switch (type) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                    "paid".equals(object.path("payment_status").asText())
                            ? paid(object, object.path("amount_total"), text(object, "payment_intent"))
                            : "awaiting_payment";
            case "payment_intent.succeeded" -> paid(object, object.path("amount_received"), text(object, "id"));
            case "checkout.session.async_payment_failed", "payment_intent.payment_failed" ->
                    ended(object, PaymentStatus.FAILED);
            case "checkout.session.expired", "payment_intent.canceled" -> ended(object, PaymentStatus.CANCELED);
            case "charge.refunded" -> refunded(object, eventId);
            case "charge.dispute.created" -> disputed(object, eventId);
            case "charge.dispute.closed" -> disputeClosed(object);
            default -> "ignored";
        };
        Log.infof("Stripe event %s (%s): %s", eventId, type, outcome);
        return new Outcome(true, eventId, type, outcome);
    }

    private String paid(JsonNode object, JsonNode amountPaid, String paymentIntent) {
        Optional<PaymentEntity> found = payment(object);
        if (found.isEmpty()) {
            return "unknown_payment";
        }
        PaymentEntity payment = found.get();
        if (paymentIntent != null && payment.externalRef == null && !paymentIntent.equals(payment.externalId)) {
            payment.externalRef = paymentIntent;
        }
        long expected = StripeProcessor.cents(new BigDecimal(payment.amount));
        String currency = object.path("currency").asText(payment.currency);
        if (!amountPaid.canConvertToLong() || amountPaid.asLong() < expected || !currency.equalsIgnoreCase(payment.currency)) {
            audit.record(payment.userId, "billing.payment_amount_mismatch", "payment", String.valueOf(payment.id),
                    "expected " + expected + " " + payment.currency + " minor units, Stripe reported "
                            + amountPaid.asText() + " " + currency);
            return "amount_mismatch";
        }
        return ledger.paid(payment) ? "credited" : "already_" + payment.status;
    }

    private String ended(JsonNode object, PaymentStatus status) {
        Optional<PaymentEntity> payment = payment(object);
        payment.ifPresent(p -> ledger.failed(p, status));
        return payment.map(p -> p.status).orElse("unknown_payment");
    }

    /** A refund of part or all of a charge: take back the same share of the credits. */
    private String refunded(JsonNode charge, String eventId) {
        Optional<PaymentEntity> found = payment(charge);
        if (found.isEmpty()) {
            return "unknown_payment";
        }
        PaymentEntity payment = found.get();
        long amount = charge.path("amount").asLong(0);
        long refunded = charge.path("amount_refunded").asLong(0);
        if (amount <= 0 || refunded <= 0) {
            return "nothing_refunded";
        }
        boolean full = refunded >= amount || charge.path("refunded").asBoolean(false);
        long target = full ? payment.credits : share(payment.credits, refunded, amount);
        ledger.reverse(payment, target, full ? PaymentStatus.REFUNDED : null, "refund", eventId);
        return full ? "refunded" : "partially_refunded";
    }

    private String disputed(JsonNode dispute, String eventId) {
        Optional<PaymentEntity> found = payment(dispute);
        if (found.isEmpty()) {
            return "unknown_payment";
        }
        PaymentEntity payment = found.get();
        long paid = StripeProcessor.cents(new BigDecimal(payment.amount));
        long disputed = dispute.path("amount").asLong(paid);
        long target = disputed >= paid ? payment.credits : share(payment.credits, disputed, paid);
        ledger.reverse(payment, target, PaymentStatus.DISPUTED, "dispute " + text(dispute, "id"), eventId);
        return "disputed";
    }

    private String disputeClosed(JsonNode dispute) {
        Optional<PaymentEntity> found = payment(dispute);
        if (found.isEmpty()) {
            return "unknown_payment";
        }
        if (!"won".equals(dispute.path("status").asText())) {
            return "dispute_" + dispute.path("status").asText("closed");
        }
        return ledger.restore(found.get(), text(dispute, "id")) > 0 ? "dispute_won" : "nothing_to_restore";
    }

    private static long share(long credits, long part, long whole) {
        return BigDecimal.valueOf(credits).multiply(BigDecimal.valueOf(part))
                .divide(BigDecimal.valueOf(whole), 0, RoundingMode.DOWN).longValueExact();
    }

    /**
     * The payment a Stripe object concerns, locked: by our id in its metadata, else by its own id or its
     * PaymentIntent (charges and disputes name the PaymentIntent).
     */
    private Optional<PaymentEntity> payment(JsonNode object) {
        String ours = text(object.path("metadata"), StripeProcessor.PAYMENT_ID);
        if (ours != null && ours.matches("\\d{1,18}")) {
            Optional<PaymentEntity> byMetadata = payments.lock(Long.parseLong(ours))
                    .filter(p -> PROVIDER.equals(p.provider));
            if (byMetadata.isPresent()) {
                return byMetadata;
            }
        }
        for (String id : new String[] {text(object, "id"), text(object, "payment_intent")}) {
            if (id != null) {
                Optional<PaymentEntity> byId = payments.findByProviderId(PROVIDER, id);
                if (byId.isPresent()) {
                    return payments.lock(byId.get().id);
                }
            }
        }
        return Optional.empty();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
