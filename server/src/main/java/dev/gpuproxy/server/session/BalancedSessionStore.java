package dev.gpuproxy.server.session;

import dev.gpuproxy.server.common.redis.OptionalRedis;
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
 * Redis first. When Redis fails, requests carry on against SQL alone (without waiting on Redis again) and the
 * sessions touched meanwhile are remembered; once Redis answers again they are copied back from SQL.
 */
@ApplicationScoped
@Typed(BalancedSessionStore.class)
public class BalancedSessionStore implements SessionStore {

    private final SqlSessionStore sql;
    private final RedisSessionStore redis;
    private final OptionalRedis redisConnection;
    private final Set<String> needsRepair = ConcurrentHashMap.newKeySet();
    private volatile boolean redisDown;

    BalancedSessionStore(SqlSessionStore sql, RedisSessionStore redis, OptionalRedis redisConnection) {
        this.sql = sql;
        this.redis = redis;
        this.redisConnection = redisConnection;
    }

    @Override
    public void create(SessionRecord session) {
        sql.create(session);
        copyToRedis(session.id(), () -> session);
    }

    @Override
    public Optional<SessionRecord> find(String id) {
        if (!redisDown) {
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
        copyToRedis(id, () -> sql.find(id).orElse(null));
    }

    /** Whether Redis is currently bypassed (for health reporting and tests). */
    public boolean redisBypassed() {
        return redisDown;
    }

    /** Once Redis answers again, copies every session changed during the outage from SQL. */
    @Scheduled(every = "${session.repair-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void repair() {
        if (!redisDown && needsRepair.isEmpty()) {
            return;
        }
        if (!redisConnection.ping()) {
            return;
        }
        if (redisDown) {
            Log.info("Redis answers again; copying sessions changed during the outage");
            redisDown = false;
        }
        for (String id : Set.copyOf(needsRepair)) {
            try {
                Optional<SessionRecord> current = sql.find(id);
                if (current.isPresent()) {
                    redis.write(current.get());
                }
                needsRepair.remove(id);
            } catch (RedisUnavailableException e) {
                markDown(e);
                return;
            }
        }
    }

    private void copyToRedis(String id, Supplier<SessionRecord> current) {
        if (redisDown) {
            needsRepair.add(id);
            return;
        }
        try {
            SessionRecord session = current.get();
            if (session != null) {
                redis.write(session);
            }
        } catch (RedisUnavailableException e) {
            needsRepair.add(id);
            markDown(e);
        }
    }

    private void markDown(RedisUnavailableException e) {
        if (!redisDown) {
            Log.warnf("Redis unavailable, sessions continue on SQL alone: %s", e.getMessage());
            redisDown = true;
        }
    }
}
