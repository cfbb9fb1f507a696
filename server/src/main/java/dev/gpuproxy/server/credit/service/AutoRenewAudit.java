package dev.gpuproxy.server.credit.service;

import dev.gpuproxy.server.common.audit.AuditTrail;
import dev.gpuproxy.server.common.money.Credits;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Records every auto-renew request in the audit log, in the same transaction as the wallet change that triggered it,
 * so an operator sees which wallets asked to be topped up. Billing observes the same event to charge the saved
 * payment method.
 */
@ApplicationScoped
public class AutoRenewAudit {

    private final AuditTrail audit;

    AutoRenewAudit(AuditTrail audit) {
        this.audit = audit;
    }

    void onRequested(@Observes AutoRenewRequested request) {
        Log.infof("Auto-renew requested for user %d: %s credits", request.userId(),
                Credits.toDecimal(request.amountMicros()).toPlainString());
        audit.record(null, "credits.auto_renew_requested", "user", String.valueOf(request.userId()),
                "amount=" + Credits.toDecimal(request.amountMicros()).toPlainString()
                        + " balance=" + Credits.toDecimal(request.balanceMicros()).toPlainString());
    }
}
