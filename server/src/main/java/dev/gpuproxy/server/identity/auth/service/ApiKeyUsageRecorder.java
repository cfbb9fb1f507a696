package dev.gpuproxy.server.identity.auth.service;

import dev.gpuproxy.server.identity.auth.repository.ApiKeyRepository;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects the last use of each API key in memory and writes them in one batch every few seconds and at shutdown,
 * so a request never waits on an UPDATE.
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

    @Scheduled(every = "${auth.last-used-flush:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void flush() {
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
        keys.recordLastUse(batch);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        try {
            flush();
        } catch (RuntimeException e) {
            Log.warnf("Could not record last use of %d API keys at shutdown: %s", pending.size(), e.getMessage());
        }
    }
}
