package dev.gpuproxy.server.ratelimit;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import dev.gpuproxy.ratelimit.TokenBucket;
import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets in this process's memory: exact for one replica, used when there is no Redis (and as the fallback
 * while Redis is down).
 */
public class InProcessRateLimiter implements RateLimiter {

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public InProcessRateLimiter() {
        this(System::nanoTime);
    }

    InProcessRateLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public Uni<RateLimitDecision> acquire(String bucket, int perMinute) {
        return Uni.createFrom().item(acquireNow(bucket, perMinute));
    }

    /** Forgets {@code bucket}: the next request finds it full. */
    public void reset(String bucket) {
        buckets.remove(bucket);
    }

    public RateLimitDecision acquireNow(String bucket, int perMinute) {
        long now = nanoTime.getAsLong();
        return buckets.computeIfAbsent(bucket, b -> new TokenBucket(perMinute, now)).take(perMinute, now);
    }
}
