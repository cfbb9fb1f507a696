package dev.gpuproxy.server.credit.service;

import dev.gpuproxy.server.common.money.Credits;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters usage off the hot path: {@link #record} only adds numbers in memory; once a second (and at graceful
 * shutdown) the totals are written as {@code usage_sessions} rows with their ledger charges, one transaction per
 * batch. A hard crash loses at most the last second of usage: it under-charges, it never charges twice. Per user it
 * also tells what is charged in memory but not yet in the ledger ({@link #unwrittenMicros}), so a credit check made
 * from a wallet read can subtract it.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class UsageMeter {

    private final UsageAggregator aggregator = new UsageAggregator();
    /** Per user: credits recorded but not yet committed to the ledger; a user at zero has no entry. */
    private final Map<Long, Long> unwritten = new ConcurrentHashMap<>();
    private final UsageWriter writer;
    private final QuotaService quotas;
    private final Object flushing = new Object();

    UsageMeter(UsageWriter writer, QuotaService quotas) {
        this.writer = writer;
        this.quotas = quotas;
    }

    /** Never blocks and never touches the database. */
    public void record(UsageEvent event) {
        if (event.creditsMicros() > 0) {
            unwritten.merge(event.userId(), event.creditsMicros(), Long::sum);
        }
        aggregator.record(event);
        quotas.count(event);
    }

    /** Credits this process recorded for {@code userId} that are not yet committed to the ledger. Never blocks. */
    public long unwrittenMicros(long userId) {
        return unwritten.getOrDefault(userId, 0L);
    }

    @Scheduled(every = "${credits.usage-flush:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledFlush() {
        flush();
    }

    /**
     * Writes everything recorded so far; what fails stays in memory for the next flush. Returns only once everything
     * recorded before the call is committed, also when another thread's flush had already taken it (the scheduled
     * flush), so a wallet or ledger read after it sees the charges.
     */
    public void flush() {
        synchronized (flushing) {
            flushLocked();
        }
    }

    private void flushLocked() {
        if (aggregator.isEmpty()) {
            return;
        }
        try {
            aggregator.drainTo(batch -> {
                writer.write(batch);
                if (batch.creditsMicros() > 0) {
                    // Only after the commit: until then the charge is not in a wallet anyone can read.
                    unwritten.computeIfPresent(batch.userId(), (user, micros) -> {
                        long left = micros - batch.creditsMicros();
                        return left > 0 ? left : null;
                    });
                }
            });
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
