package dev.gpuproxy.server.identity.session;

import dev.gpuproxy.server.common.redis.RedisCircuit;
import dev.gpuproxy.server.common.redis.RedisUnavailableException;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * SESSION_MODE=balanced: the database is the source of truth and Redis a fast copy. Writes go to both; reads try
 * Redis first. When Redis fails, requests carry on against SQL alone (without waiting on Redis again, see
 * {@link RedisCircuit}) and the sessions touched meanwhile are copied back once Redis answers again. Correctness never
 * depends on that copy: a copy lives in Redis for a minute at most, and a session revoked on any replica (even one
 * that wrote only to SQL) is known to every replica within a second through {@link SessionRevocations}.
 */
@ApplicationScoped
@Typed(BalancedSessionStore.class)
public class BalancedSessionStore implements SessionStore {

    private final SqlSessionStore sql;
    private final RedisSessionStore redis;
    private final RedisCircuit circuit;
    private final SessionRevocations revocations;
    private final java.time.Clock clock;
    /** Sessions written while Redis was down: copied to Redis when it is back (an optimisation, see above). */
    private final Set<String> needsRepair = ConcurrentHashMap.newKeySet();

    BalancedSessionStore(SqlSessionStore sql, RedisSessionStore redis, RedisCircuit circuit,
                         SessionRevocations revocations, java.time.Clock clock) {
        this.sql = sql;
        this.redis = redis;
        this.circuit = circuit;
        this.revocations = revocations;
        this.clock = clock;
    }

    @Override
    public void create(SessionRecord session) {
        sql.create(session);
        copyToRedis(session.id(), () -> session);
    }

    @Override
    public Optional<SessionRecord> find(String id) {
        if (circuit.available() && !revocations.recentlyRevoked(id)) {
            try {
                Optional<SessionRecord> cached = redis.find(id);
                if (cached.isPresent()) {
                    return cached;
                }
            } catch (RedisUnavailableException e) {
                markDown(e);
            }
        }
        Optional<SessionRecord> stored = sql.find(id);
        stored.ifPresent(session -> copyToRedis(id, () -> session));
        return stored;
    }

    @Override
    public Rotation rotate(String id, String expectedHash, String newHash, Instant now) {
        Rotation result = sql.rotate(id, expectedHash, newHash, now);
        if (result == Rotation.ROTATED) {
            copyToRedis(id, () -> sql.find(id).orElse(null));
        }
        return result;
    }

    @Override
    public void revoke(String id, Instant at) {
        sql.revoke(id, at);
        revocations.revoked(id);
        copyToRedis(id, () -> sql.find(id).orElse(null));
    }

    /** Whether Redis is currently bypassed (for health reporting and tests). */
    public boolean redisBypassed() {
        return !circuit.available();
    }

    /** Once Redis answers again, copies every session changed during the outage from SQL. */
    @Scheduled(every = "${session.repair-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void repair() {
        if (needsRepair.isEmpty() || !circuit.available()) {
            return;
        }
        Log.infof("Copying %d sessions changed while Redis was down", needsRepair.size());
        for (String id : Set.copyOf(needsRepair)) {
            try {
                Optional<SessionRecord> current = sql.find(id);
                if (current.isPresent()) {
                    redis.write(current.get(), keepUntil());
                }
                needsRepair.remove(id);
            } catch (RedisUnavailableException e) {
                markDown(e);
                return;
            }
        }
    }

    private void copyToRedis(String id, Supplier<SessionRecord> current) {
        if (!circuit.available()) {
            needsRepair.add(id);
            return;
        }
        try {
            SessionRecord session = current.get();
            if (session != null) {
                redis.write(session, keepUntil());
            }
        } catch (RedisUnavailableException e) {
            needsRepair.add(id);
            markDown(e);
        }
    }

    private Instant keepUntil() {
        return clock.instant().plus(SessionRevocations.CACHE_TTL);
    }

    private void markDown(RedisUnavailableException e) {
        circuit.failed(e);
    }
}
