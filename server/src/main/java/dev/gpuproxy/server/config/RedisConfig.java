package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Optional;

/** Redis settings (environment variables {@code REDIS_*}). No REDIS_HOST means no Redis at all. */
@ConfigMapping(prefix = "redis")
public interface RedisConfig {

    /** REDIS_HOST: Redis host; unset disables Redis (sessions in SQL, in-process rate limits). */
    Optional<String> host();

    /** REDIS_PORT. */
    @WithDefault("6379")
    @Min(1)
    @Max(65535)
    int port();

    /** REDIS_PASSWORD (never logged). */
    Optional<String> password();

    /** REDIS_DB: logical database number. */
    @WithDefault("0")
    @Min(0)
    int db();

    /** REDIS_KEY_PREFIX: prefix of every key gpuproxyd writes, so several deployments can share one Redis. */
    @WithDefault("gpuproxy:")
    String keyPrefix();

    /**
     * REDIS_TIMEOUT: longest wait for one Redis command on a request's path. Past it, Redis counts as down: rate limits
     * count in memory and balanced sessions read SQL at once, while a background probe (every second) waits for Redis
     * to answer again. Redis on the same network answers in well under a millisecond.
     */
    @WithDefault("${REDIS_TIMEOUT:300ms}")
    java.time.Duration timeout();

    default boolean enabled() {
        return host().isPresent();
    }
}
