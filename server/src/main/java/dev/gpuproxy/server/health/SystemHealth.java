package dev.gpuproxy.server.health;

import dev.gpuproxy.server.common.persistence.ActiveDatabase;
import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.identity.session.SessionStoreSelector;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/** Checks the services gpuproxyd depends on; shared by GET /health and the MicroProfile readiness checks. */
@ApplicationScoped
public class SystemHealth {

    private final ActiveDatabase database;
    private final OptionalRedis redis;
    private final SessionStoreSelector sessions;

    SystemHealth(ActiveDatabase database, OptionalRedis redis, SessionStoreSelector sessions) {
        this.database = database;
        this.redis = redis;
        this.sessions = sessions;
    }

    public record Component(boolean up, String detail) {}

    public Component database() {
        try (Connection connection = database.dataSource().getConnection()) {
            return new Component(connection.isValid(2), database.kind().unitName());
        } catch (SQLException | RuntimeException e) {
            return new Component(false, database.kind().unitName() + ": " + e.getClass().getSimpleName());
        }
    }

    public boolean redisConfigured() {
        return redis.configured();
    }

    /** PING within REDIS_TIMEOUT, so a hung Redis cannot make the health check hang. */
    public Component redis() {
        return redis.ping() ? new Component(true, "redis")
                : new Component(false, "redis: no answer to PING within " + redis.timeout().toMillis() + " ms");
    }

    /**
     * Whether requests fail without Redis: only with SESSION_MODE=redis (sessions live nowhere else). Otherwise rate
     * limits count in memory and balanced sessions read SQL, so the service is degraded, not down.
     */
    public boolean redisRequired() {
        return redis.configured() && sessions.mode() == SessionStoreSelector.Mode.REDIS;
    }
}
