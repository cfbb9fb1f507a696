package dev.gpuproxy.server.ratelimit;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import dev.gpuproxy.server.account.service.UserSnapshot;
import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.common.redis.RedisCircuit;
import dev.gpuproxy.server.config.AuthConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per-user request limits: the user's own limit (set by an admin) or RATE_LIMIT_PER_MINUTE. Buckets live in Redis when
 * it is configured (exact across replicas) and in memory otherwise; if Redis stops answering (or answers slower than
 * REDIS_TIMEOUT), this replica counts in memory at once, without waiting on Redis per request, until the
 * {@link RedisCircuit} sees it answer again, so requests keep flowing at full speed.
 */
@ApplicationScoped
public class RateLimitService {

    private final AuthConfig config;
    private final RedisRateLimiter primary;
    private final InProcessRateLimiter fallback = new InProcessRateLimiter();
    private final RedisCircuit circuit;

    RateLimitService(AuthConfig config, OptionalRedis redis, RedisCircuit circuit) {
        this.config = config;
        this.circuit = circuit;
        this.primary = redis.dataSource().map(ds -> new RedisRateLimiter(ds, redis::key, redis.timeout()))
                .orElse(null);
    }

    public int limitFor(UserSnapshot user) {
        return user.rateLimitPerMinute() != null ? user.rateLimitPerMinute() : config.rateLimitPerMinute();
    }

    public Uni<RateLimitDecision> acquire(UserSnapshot user) {
        return acquire("user:" + user.id(), limitFor(user));
    }

    /** Takes one token from {@code bucket} ({@code perMinute} capacity): in Redis while it answers, else in memory. */
    public Uni<RateLimitDecision> acquire(String bucket, int perMinute) {
        if (primary == null || !circuit.available()) {
            return fallback.acquire(bucket, perMinute);
        }
        return primary.acquire(bucket, perMinute)
                .onFailure().recoverWithItem(e -> {
                    circuit.failed(e);
                    return fallback.acquireNow(bucket, perMinute);
                });
    }

    /** Empties {@code bucket}'s count (full again), wherever it is kept; never fails the caller. */
    public void reset(String bucket) {
        fallback.reset(bucket);
        if (primary != null && circuit.available()) {
            primary.reset(bucket).subscribe().with(done -> { }, circuit::failed);
        }
    }
}
