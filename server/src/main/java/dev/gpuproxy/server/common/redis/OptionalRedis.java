package dev.gpuproxy.server.common.redis;

import dev.gpuproxy.server.config.RedisConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.Optional;

/**
 * Redis when the operator configured REDIS_HOST, nothing otherwise. Features that can use Redis ask here instead of
 * injecting the client directly, so a server without Redis never tries to connect.
 */
@ApplicationScoped
public class OptionalRedis {

    private final RedisConfig config;
    private final Instance<ReactiveRedisDataSource> redis;

    OptionalRedis(RedisConfig config, Instance<ReactiveRedisDataSource> redis) {
        this.config = config;
        this.redis = redis;
    }

    public boolean configured() {
        return config.enabled();
    }

    public Optional<ReactiveRedisDataSource> dataSource() {
        return configured() ? Optional.of(redis.get()) : Optional.empty();
    }

    /** The configured key prefix; every key gpuproxyd writes starts with it. */
    public String key(String suffix) {
        return config.keyPrefix() + suffix;
    }

    /** REDIS_TIMEOUT: how long a command on a request's path may wait. */
    public Duration timeout() {
        return config.timeout();
    }

    /** True when Redis answers PING within REDIS_TIMEOUT. */
    public boolean ping() {
        return dataSource().map(ds -> {
            try {
                ds.execute("PING").await().atMost(config.timeout());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }).orElse(false);
    }
}
