package dev.gpuproxy.server.billing.service;

import java.util.Map;

/**
 * What a processor did when starting a payment.
 *
 * @param externalId the processor's id of the payment (may be null until it has one)
 * @param externalRef a second processor id, if any
 * @param status {@code PENDING} while the client or the network still has to act, {@code SUCCEEDED} when the charge
 *               is already done (and may be credited), {@code FAILED} when it was declined
 * @param next what the client must do next, as JSON members ({@code type} plus its details)
 * @param stripeCustomerId a Stripe customer created for the user, to remember
 */
public record PaymentStart(String externalId, String externalRef, PaymentStatus status, Map<String, Object> next,
                           String stripeCustomerId) {

    public static PaymentStart pending(String externalId, Map<String, Object> next) {
        return new PaymentStart(externalId, null, PaymentStatus.PENDING, next, null);
    }
}
