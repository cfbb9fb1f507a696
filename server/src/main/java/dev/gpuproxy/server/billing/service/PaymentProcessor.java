package dev.gpuproxy.server.billing.service;

import java.math.BigDecimal;

/**
 * One way of paying for credits. {@link BillingService} creates the pending payment, asks the processor to start
 * collecting it (outside any database transaction, since processors call remote APIs), then records the result.
 * Credits are added only by {@link PaymentLedger}, once per payment, when the processor has proof of payment.
 */
public interface PaymentProcessor {

    PaymentProvider provider();

    /** Whether the operator configured this processor; choosing one that is not answers 503. */
    boolean enabled();

    /**
     * Checks that {@code amount} of {@code currency} can be paid here and returns its canonical form and worth.
     *
     * @throws dev.gpuproxy.server.common.error.ApiException 400 for an unsupported currency or precision
     */
    Quote quote(BigDecimal amount, String currency);

    /** Refuses an {@code X-Preferred-Payment} this processor cannot honour (400). */
    default void checkPreferred(PreferredPayment preferred) {
    }

    /** Starts collecting a pending payment: what the client must do next, or the charge's outcome. */
    PaymentStart start(PaymentOrder order);

    /** Whether {@link #chargeSaved} can charge a saved method of this processor without the payer present. */
    default boolean chargesSavedMethods() {
        return false;
    }

    /** Charges the user's saved method without them present (auto-renew). */
    default PaymentStart chargeSaved(PaymentOrder order, SavedMethod method) {
        throw new UnsupportedOperationException(provider().id() + " cannot charge a saved method");
    }

    /** An amount as it will be stored and shown, in a currency's canonical code, and the credits it buys. */
    record Quote(BigDecimal amount, String currency, long creditsMicros) {}

    /** The user's saved way to pay for auto-renew: a Stripe PaymentMethod and customer, or an AfterDark account. */
    record SavedMethod(PaymentProvider provider, String paymentMethod, String stripeCustomerId) {}
}
