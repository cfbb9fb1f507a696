package dev.gpuproxy.server.billing.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gpuproxy.server.billing.repository.PaymentEntity;
import dev.gpuproxy.server.common.money.Credits;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A payment as the API shows it: amounts as decimals, credits with six places; a crypto payment also shows the coin
 * amount it was quoted ({@code pay_currency}, {@code pay_amount}) and until when ({@code quote_expires_at}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentView(
        long id,
        String provider,
        String status,
        BigDecimal amount,
        String currency,
        BigDecimal credits,
        @JsonProperty("credits_reversed") BigDecimal creditsReversed,
        @JsonProperty("external_id") String externalId,
        String payer,
        @JsonProperty("pay_currency") String payCurrency,
        @JsonProperty("pay_amount") BigDecimal payAmount,
        @JsonProperty("quote_expires_at") Instant quoteExpiresAt,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    public static PaymentView of(PaymentEntity payment) {
        return new PaymentView(payment.id, payment.provider, payment.status, new BigDecimal(payment.amount),
                payment.currency, Credits.toDecimal(payment.credits), Credits.toDecimal(payment.creditsReversed),
                payment.externalId, payment.payer, payment.payCurrency,
                payment.payAmount == null ? null : new BigDecimal(payment.payAmount), payment.quoteExpiresAt,
                payment.createdAt, payment.updatedAt);
    }
}
