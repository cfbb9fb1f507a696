package dev.gpuproxy.server.ratelimit;

import dev.gpuproxy.server.account.service.UserSnapshot;
import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.config.AuthConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Per-user request limits: the user's own limit (set by an admin) or RATE_LIMIT_PER_MINUTE. Buckets live in Redis when
 * it is configured (exact across replicas) and in memory otherwise; if Redis stops answering, this replica counts in
 * memory until it answers again, so requests keep flowing.
 */
@ApplicationScoped
public class RateLimitService {

    private final AuthConfig config;
    private final RateLimiter primary;
    private final InProcessRateLimiter fallback = new InProcessRateLimiter();
    private final AtomicBoolean warned = new AtomicBoolean();

    RateLimitService(AuthConfig config, OptionalRedis redis) {
        this.config = config;
        this.primary = redis.dataSource()
                .<RateLimiter>map(ds -> new RedisRateLimiter(ds, redis::key))
                .orElse(fallback);
    }

    public int limitFor(UserSnapshot user) {
        return user.rateLimitPerMinute() != null ? user.rateLimitPerMinute() : config.rateLimitPerMinute();
    }

    public Uni<RateLimitDecision> acquire(UserSnapshot user) {
        String bucket = "user:" + user.id();
        int limit = limitFor(user);
        if (primary == fallback) {
            return fallback.acquire(bucket, limit);
        }
        return primary.acquire(bucket, limit)
                .invoke(() -> warned.set(false))
                .onFailure().recoverWithItem(e -> {
                    if (warned.compareAndSet(false, true)) {
                        Log.warnf("Redis rate limiting unavailable (%s); counting in memory meanwhile", e.getMessage());
                    }
                    return fallback.acquireNow(bucket, limit);
                });
    }
}
