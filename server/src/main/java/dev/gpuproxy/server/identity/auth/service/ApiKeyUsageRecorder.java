package dev.gpuproxy.server.identity.auth.service;

import dev.gpuproxy.server.common.concurrent.RetiringLongMap;
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

/**
 * Collects the last use of each API key in memory, to the second, and writes them in one batch every few seconds and
 * at shutdown, so a request never waits on an UPDATE. A key used again within the same second costs a read: every
 * event loop records each request of a busy key, and a lock or a write per request was contended (see
 * {@link RetiringLongMap}). A batch that fails to be written is tried again at the next flush.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class ApiKeyUsageRecorder {

    private final ApiKeyRepository keys;
    /** Key id to the epoch second of its latest use. */
    private final RetiringLongMap lastUse = new RetiringLongMap();
    /** Key id to the epoch second last written for it; touched by the flush alone. */
    private final Map<Long, Long> written = new HashMap<>();

    ApiKeyUsageRecorder(ApiKeyRepository keys) {
        this.keys = keys;
    }

    public void used(long keyId, Instant at) {
        lastUse.accumulate(keyId, at.getEpochSecond(), Math::max);
    }

    /** Writes the uses recorded since the last flush (scheduled, at shutdown, or when a caller needs them now). */
    @Scheduled(every = "${auth.last-used-flush:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void flush() {
        Map<Long, Instant> batch = new HashMap<>();
        lastUse.forEach((keyId, second) -> {
            Long before = written.get(keyId);
            if (before == null || second > before) {
                batch.put(keyId, Instant.ofEpochSecond(second));
            } else if (lastUse.retire(keyId, second)) {
                written.remove(keyId); // unused since its last write: its entry goes until the key is used again
            }
        });
        if (batch.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> keys.recordLastUse(batch));
        // Only once committed: a batch that failed is still newer than what was written, so it goes again.
        batch.forEach((keyId, at) -> written.put(keyId, at.getEpochSecond()));
    }

    void onShutdown(@Observes ShutdownEvent event) {
        try {
            flush();
        } catch (RuntimeException e) {
            Log.warnf("Could not record last use of API keys at shutdown: %s", e.getMessage());
        }
    }
}
