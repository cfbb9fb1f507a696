package dev.gpuproxy.server.billing.service;

import dev.gpuproxy.server.billing.repository.PaymentEntity;
import dev.gpuproxy.server.common.audit.AuditTrail;
import dev.gpuproxy.server.common.money.Credits;
import dev.gpuproxy.server.credit.service.CreditService;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;

/**
 * The one place a payment's state meets the credit ledger, in the caller's transaction with the payment row locked.
 * A payment is credited once (ledger key {@code payment:<id>:credit}); refunds and disputes take back at most what was
 * credited (keys {@code payment:<id>:reversal:<event>}). A reversal reported before the payment itself (webhooks
 * arrive out of order) marks the payment so that the late success credits nothing.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class PaymentLedger {

    private final CreditService credits;
    private final AuditTrail audit;
    private final Clock clock;

    PaymentLedger(CreditService credits, AuditTrail audit, Clock clock) {
        this.credits = credits;
        this.audit = audit;
        this.clock = clock;
    }

    /** The processor has proof of payment: credit it unless it was credited or reversed already. */
    public boolean paid(PaymentEntity payment) {
        PaymentStatus status = PaymentStatus.of(payment.status);
        if (status == PaymentStatus.SUCCEEDED || status == PaymentStatus.REFUNDED || status == PaymentStatus.DISPUTED) {
            return false;
        }
        credits.add(payment.userId, CreditService.Kind.TOPUP, payment.credits,
                "payment " + payment.id + " (" + payment.provider + ")", "payment:" + payment.id + ":credit");
        payment.status = PaymentStatus.SUCCEEDED.id();
        touch(payment);
        audit.record(payment.userId, "billing.payment_credited", "payment", String.valueOf(payment.id),
                "provider=" + payment.provider + " amount=" + payment.amount + " " + payment.currency
                        + " credits=" + Credits.toDecimal(payment.credits).toPlainString());
        Log.infof("Payment %d (%s) credited %s credits to user %d", payment.id, payment.provider,
                Credits.toDecimal(payment.credits).toPlainString(), payment.userId);
        return true;
    }

    /**
     * Money went back to the payer (refund, dispute): take back credits until {@code totalReversedMicros} (at most
     * what was credited) have been reversed, and set {@code newStatus} when given.
     *
     * @param cause a unique name of what reported the reversal (a webhook event id), part of the ledger key
     * @return micro-credits taken back now
     */
    public long reverse(PaymentEntity payment, long totalReversedMicros, PaymentStatus newStatus, String reason,
                        String cause) {
        boolean credited = PaymentStatus.of(payment.status) == PaymentStatus.SUCCEEDED || payment.creditsReversed > 0;
        long delta = 0;
        if (credited) {
            long target = Math.min(Math.max(totalReversedMicros, 0), payment.credits);
            delta = target - payment.creditsReversed;
            if (delta > 0) {
                credits.adjust(payment.userId, -delta, reason + " of payment " + payment.id,
                        "payment:" + payment.id + ":reversal:" + cause);
                payment.creditsReversed = target;
            } else {
                delta = 0;
            }
        }
        if (newStatus != null) {
            payment.status = newStatus.id();
        }
        touch(payment);
        audit.record(payment.userId, "billing.payment_reversed", "payment", String.valueOf(payment.id),
                reason + ": took back " + Credits.toDecimal(delta).toPlainString() + " credits"
                        + (credited ? "" : " (reported before the payment was credited)"));
        return delta;
    }

    /** A dispute was decided for the platform: give back what the dispute took. */
    public long restore(PaymentEntity payment, String disputeId) {
        if (PaymentStatus.of(payment.status) != PaymentStatus.DISPUTED || payment.creditsReversed == 0) {
            return 0;
        }
        long restored = payment.creditsReversed;
        credits.adjust(payment.userId, restored, "dispute " + disputeId + " won for payment " + payment.id,
                "payment:" + payment.id + ":dispute-won:" + disputeId);
        payment.creditsReversed = 0;
        payment.status = PaymentStatus.SUCCEEDED.id();
        touch(payment);
        audit.record(payment.userId, "billing.dispute_won", "payment", String.valueOf(payment.id),
                "restored " + Credits.toDecimal(restored).toPlainString() + " credits");
        return restored;
    }

    /** The payment did not happen (declined, expired); only a pending payment changes. */
    public void failed(PaymentEntity payment, PaymentStatus status) {
        if (PaymentStatus.of(payment.status) == PaymentStatus.PENDING) {
            payment.status = status.id();
            touch(payment);
        }
    }

    private void touch(PaymentEntity payment) {
        payment.updatedAt = clock.instant();
    }
}
