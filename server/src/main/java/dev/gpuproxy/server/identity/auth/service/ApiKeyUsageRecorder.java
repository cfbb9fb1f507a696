package dev.gpuproxy.server.identity.auth.service;

import dev.gpuproxy.server.identity.auth.repository.ApiKeyRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects the last use of each API key in memory and writes them in one batch every few seconds and at shutdown,
 * so a request never waits on an UPDATE. A batch that cannot be written stays in memory for the next flush.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class ApiKeyUsageRecorder {

    private final ApiKeyRepository keys;
    private final Map<Long, Instant> pending = new ConcurrentHashMap<>();

    ApiKeyUsageRecorder(ApiKeyRepository keys) {
        this.keys = keys;
    }

    public void used(long keyId, Instant at) {
        pending.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Writes the uses recorded since the last flush (scheduled, at shutdown, or when a caller needs them now). */
    @Scheduled(every = "${auth.last-used-flush:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<Long, Instant> batch = new HashMap<>();
        for (Long keyId : pending.keySet()) {
            Instant at = pending.remove(keyId);
            if (at != null) {
                batch.put(keyId, at);
            }
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> keys.recordLastUse(batch));
        } catch (RuntimeException e) {
            // Back into memory for the next flush; a later use recorded meanwhile wins.
            batch.forEach(this::used);
            throw e;
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        try {
            flush();
        } catch (RuntimeException e) {
            Log.warnf("Could not record last use of %d API keys at shutdown: %s", pending.size(), e.getMessage());
        }
    }
}
