package dev.gpuproxy.server.credit.service;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Meters usage off the hot path: {@link #record} only adds numbers in memory; once a second (and at graceful
 * shutdown) the totals are written as {@code usage_sessions} rows with their ledger charges, one transaction per
 * batch. A hard crash loses at most the last second of usage: it under-charges, it never charges twice.
 */
@ApplicationScoped
public class UsageMeter {

    private final UsageAggregator aggregator = new UsageAggregator();
    private final UsageWriter writer;
    private final QuotaService quotas;

    UsageMeter(UsageWriter writer, QuotaService quotas) {
        this.writer = writer;
        this.quotas = quotas;
    }

    /** Never blocks and never touches the database. */
    public void record(UsageEvent event) {
        aggregator.record(event);
        quotas.count(event);
    }

    @Scheduled(every = "${credits.usage-flush:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledFlush() {
        flush();
    }

    /** Writes everything recorded so far; what fails stays in memory for the next flush. */
    public void flush() {
        if (aggregator.isEmpty()) {
            return;
        }
        try {
            aggregator.drainTo(writer::write);
        } catch (RuntimeException e) {
            Log.warnf("Usage flush failed, will retry: %s", e.getMessage());
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        flush();
        if (!aggregator.isEmpty()) {
            Log.error("Usage could not be written at shutdown; the last batch is not charged");
        }
    }
}
