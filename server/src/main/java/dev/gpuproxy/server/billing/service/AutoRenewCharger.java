package dev.gpuproxy.server.billing.service;

import dev.gpuproxy.server.credit.service.AutoRenewRequested;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Charges the user's saved payment method when their wallet asks for auto-renew. The request is observed after the
 * wallet change commits and handed to a worker thread: charging calls a remote processor and opens transactions of
 * its own, which must not happen on the committing thread (SQLite's one connection may still be held there).
 */
@ApplicationScoped
public class AutoRenewCharger {

    private final BillingService billing;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "billing-auto-renew");
        thread.setDaemon(true);
        return thread;
    });

    AutoRenewCharger(BillingService billing) {
        this.billing = billing;
    }

    void onRequested(@Observes(during = TransactionPhase.AFTER_SUCCESS) AutoRenewRequested request) {
        worker.execute(() -> charge(request));
    }

    private void charge(AutoRenewRequested request) {
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            billing.autoRenew(request.userId(), request.amountMicros());
        } catch (RuntimeException e) {
            Log.errorf(e, "Auto-renew for user %d failed", request.userId());
        } finally {
            requestContext.terminate();
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdown();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
