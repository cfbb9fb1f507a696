package dev.gpuproxy.server.identity.session;

import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.config.SessionConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.util.Locale;

/** Chooses the {@link SessionStore} from SESSION_MODE (default: balanced with Redis, sql without). */
@ApplicationScoped
public class SessionStoreSelector {

    public enum Mode { SQL, REDIS, BALANCED }

    private final Mode mode;
    private final Instance<SqlSessionStore> sql;
    private final Instance<RedisSessionStore> redis;
    private final Instance<BalancedSessionStore> balanced;

    SessionStoreSelector(SessionConfig config, OptionalRedis redisConnection, Instance<SqlSessionStore> sql,
                         Instance<RedisSessionStore> redis, Instance<BalancedSessionStore> balanced) {
        this.mode = parse(config, redisConnection.configured());
        this.sql = sql;
        this.redis = redis;
        this.balanced = balanced;
    }

    @Startup
    void announce() {
        Log.infof("Sessions are kept in %s mode", mode.name().toLowerCase(Locale.ROOT));
    }

    public Mode mode() {
        return mode;
    }

    @Produces
    @ApplicationScoped
    SessionStore sessionStore() {
        return switch (mode) {
            case SQL -> sql.get();
            case REDIS -> redis.get();
            case BALANCED -> balanced.get();
        };
    }

    static Mode parse(SessionConfig config, boolean redisConfigured) {
        if (config.mode().isEmpty()) {
            return redisConfigured ? Mode.BALANCED : Mode.SQL;
        }
        String value = config.mode().get().trim().toUpperCase(Locale.ROOT);
        Mode mode;
        try {
            mode = Mode.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "SESSION_MODE must be one of sql, redis, balanced (got '" + config.mode().get() + "')");
        }
        if (mode != Mode.SQL && !redisConfigured) {
            throw new IllegalArgumentException("SESSION_MODE=" + value.toLowerCase(Locale.ROOT) + " needs REDIS_HOST");
        }
        return mode;
    }
}
