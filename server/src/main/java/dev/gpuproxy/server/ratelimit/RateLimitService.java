package dev.gpuproxy.server.ratelimit;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import dev.gpuproxy.server.common.redis.OptionalRedis;
import dev.gpuproxy.server.common.redis.RedisCircuit;
import dev.gpuproxy.server.config.AuthConfig;
import dev.gpuproxy.server.identity.account.service.UserSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import jakarta.inject.Singleton;

/**
 * Per-user request limits: the user's own limit (set by an admin) or RATE_LIMIT_PER_MINUTE. Buckets live in Redis when
 * it is configured (exact across replicas) and in memory otherwise; if Redis stops answering (or answers slower than
 * REDIS_TIMEOUT), this replica counts in memory at once, without waiting on Redis per request, until the
 * {@link RedisCircuit} sees it answer again, so requests keep flowing at full speed.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
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
        return acquire(bucketOf(user), limitFor(user));
    }

    /**
     * The gateway's {@link #acquire(UserSnapshot)}: a Vert.x future that is already complete when the limit is counted
     * in memory (no Redis, or Redis not answering), so admission goes on inline on the request's thread instead of
     * paying for a Mutiny subscription (which captures the CDI and Vert.x context) on every request.
     */
    public Future<RateLimitDecision> acquireFuture(UserSnapshot user) {
        String bucket = bucketOf(user);
        int perMinute = limitFor(user);
        if (!redisAnswers()) {
            return Future.succeededFuture(fallback.acquireNow(bucket, perMinute));
        }
        Promise<RateLimitDecision> decided = Promise.promise();
        acquire(bucket, perMinute).subscribe().with(decided::complete, decided::fail);
        return decided.future();
    }

    /** Takes one token from {@code bucket} ({@code perMinute} capacity): in Redis while it answers, else in memory. */
    public Uni<RateLimitDecision> acquire(String bucket, int perMinute) {
        if (!redisAnswers()) {
            return fallback.acquire(bucket, perMinute);
        }
        return primary.acquire(bucket, perMinute)
                .onFailure().recoverWithItem(e -> {
                    circuit.failed(e);
                    return fallback.acquireNow(bucket, perMinute);
                });
    }

    /** Redis is configured and answered last time: buckets are counted there; otherwise in this process's memory. */
    private boolean redisAnswers() {
        return primary != null && circuit.available();
    }

    private static String bucketOf(UserSnapshot user) {
        return "user:" + user.id();
    }

    /** Empties {@code bucket}'s count (full again), wherever it is kept; never fails the caller. */
    public void reset(String bucket) {
        fallback.reset(bucket);
        if (redisAnswers()) {
            primary.reset(bucket).subscribe().with(done -> { }, circuit::failed);
        }
    }
}
