package dev.gpuproxy.server.billing.service;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A pending payment handed to a processor: who pays, how much, what it buys and how they prefer to pay.
 *
 * @param reference the idempotency reference sent to the processor, the same for every retry of this payment
 * @param stripeCustomerId the user's Stripe customer, when one was created before
 * @param coin for a crypto payment, the coin or token amount quoted and until when the quote holds (else null)
 */
public record PaymentOrder(long paymentId, long userId, BigDecimal amount, String currency, long creditsMicros,
                           PreferredPayment preferred, String reference, String stripeCustomerId, Coin coin) {

    /** {@code amount} of {@code currency} (a coin or token) to arrive in a block stamped no later than {@code expiresAt}. */
    public record Coin(String currency, BigDecimal amount, Instant expiresAt) {}
}
