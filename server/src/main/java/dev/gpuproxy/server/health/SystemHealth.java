package dev.gpuproxy.server.health;

import dev.gpuproxy.server.common.persistence.ActiveDatabase;
import dev.gpuproxy.server.common.redis.OptionalRedis;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/** Checks the services gpuproxyd depends on; shared by GET /health and the MicroProfile readiness checks. */
@ApplicationScoped
public class SystemHealth {

    private final ActiveDatabase database;
    private final OptionalRedis redis;

    SystemHealth(ActiveDatabase database, OptionalRedis redis) {
        this.database = database;
        this.redis = redis;
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

    public Component redis() {
        return redis.ping() ? new Component(true, "redis") : new Component(false, "redis: no answer to PING");
    }
}
