package dev.gpuproxy.server.identity.session;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions revoked recently on any replica, read from the database (the record of every revocation) once a second.
 * Balanced mode checks it after a Redis hit: a replica that could not reach Redis revoked in SQL alone, and Redis may
 * still hold an active copy. Copies live in Redis for at most {@link #CACHE_TTL}, so remembering the revocations of
 * that long (plus margin for clock skew between replicas) covers every stale copy; after that Redis has dropped it.
 */
@ApplicationScoped
public class SessionRevocations {

    /** How long balanced mode lets Redis keep a copy of a session before it is read from SQL again. */
    static final Duration CACHE_TTL = Duration.ofMinutes(1);
    /** Look back further than the poll interval, so clock skew between replicas cannot hide a revocation. */
    private static final Duration OVERLAP = Duration.ofSeconds(10);
    private static final Duration REMEMBERED = CACHE_TTL.plus(OVERLAP).plus(OVERLAP);

    private final SqlSessionStore sql;
    private final SessionStoreSelector selector;
    private final Clock clock;
    /** Session id -> when this replica first saw it revoked (for forgetting it once no copy can be stale). */
    private final Map<String, Instant> recent = new ConcurrentHashMap<>();
    private volatile Instant lastPoll;

    SessionRevocations(SqlSessionStore sql, SessionStoreSelector selector, Clock clock) {
        this.sql = sql;
        this.selector = selector;
        this.clock = clock;
    }

    /** Whether {@code sessionId} was revoked within the window a Redis copy may be stale for. */
    public boolean recentlyRevoked(String sessionId) {
        return recent.containsKey(sessionId);
    }

    /** Called when this replica revokes a session itself, so it does not wait for the next poll. */
    void revoked(String sessionId) {
        recent.putIfAbsent(sessionId, clock.instant());
    }

    @Scheduled(every = "${session.revocation-poll:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        if (selector.mode() != SessionStoreSelector.Mode.BALANCED) {
            return;
        }
        Instant now = clock.instant();
        // From the last successful poll, so a database hiccup cannot make a revocation slip through.
        Instant since = (lastPoll == null ? now.minus(REMEMBERED) : lastPoll.minus(OVERLAP));
        try {
            for (String id : sql.revokedSince(since)) {
                recent.putIfAbsent(id, now);
            }
            lastPoll = now;
        } catch (RuntimeException e) {
            Log.warnf("Could not read recent session revocations (%s); retrying", e.getMessage());
            return;
        }
        recent.values().removeIf(seen -> seen.isBefore(now.minus(REMEMBERED)));
    }
}
