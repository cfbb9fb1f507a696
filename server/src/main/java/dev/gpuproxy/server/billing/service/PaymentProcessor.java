package dev.gpuproxy.server.billing.service;

import dev.gpuproxy.server.common.error.ApiException;
import java.math.BigDecimal;
import java.time.Duration;

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

    /**
     * As {@link #quote(BigDecimal, String)}, paid in {@code payCurrency} when not null (the coin or token of a crypto
     * payment priced in another currency); only crypto takes one.
     */
    default Quote quote(BigDecimal amount, String currency, String payCurrency) {
        if (payCurrency != null && !payCurrency.isBlank()) {
            throw ApiException.badRequest("pay_currency is only for crypto payments");
        }
        return quote(amount, currency);
    }

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

    /**
     * An amount as it will be stored and shown, in a currency's canonical code, and the credits it buys; {@code coin}
     * is what a crypto payment sends for it (null for other processors).
     */
    record Quote(BigDecimal amount, String currency, long creditsMicros, CoinQuote coin) {

        public Quote(BigDecimal amount, String currency, long creditsMicros) {
            this(amount, currency, creditsMicros, null);
        }
    }

    /** {@code amount} of the coin or token {@code currency} pays the quote if it arrives within {@code validFor}. */
    record CoinQuote(String currency, BigDecimal amount, Duration validFor) {}

    /** The user's saved way to pay for auto-renew: a Stripe PaymentMethod and customer, or an AfterDark account. */
    record SavedMethod(PaymentProvider provider, String paymentMethod, String stripeCustomerId) {}
}
