package dev.gpuproxy.server.billing.service;

import java.math.BigDecimal;

/**
 * A pending payment handed to a processor: who pays, how much, what it buys and how they prefer to pay.
 *
 * @param reference the idempotency reference sent to the processor, the same for every retry of this payment
 * @param stripeCustomerId the user's Stripe customer, when one was created before
 */
public record PaymentOrder(long paymentId, long userId, BigDecimal amount, String currency, long creditsMicros,
                           PreferredPayment preferred, String reference, String stripeCustomerId) {}
