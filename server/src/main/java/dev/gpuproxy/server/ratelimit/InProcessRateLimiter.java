package dev.gpuproxy.server.ratelimit;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets in this process's memory: exact for one replica, used when there is no Redis (and as the fallback
 * while Redis is down). Tokens are counted in millionths so refill never rounds a request away.
 */
public class InProcessRateLimiter implements RateLimiter {

    private static final long MICROS_PER_TOKEN = 1_000_000L;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
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

    public RateLimitDecision acquireNow(String bucket, int perMinute) {
        long now = nanoTime.getAsLong();
        return buckets.computeIfAbsent(bucket, b -> new Bucket(perMinute, now)).take(perMinute, now);
    }

    private static final class Bucket {
        private long microTokens;
        private long updatedNanos;

        Bucket(int capacity, long now) {
            this.microTokens = capacity * MICROS_PER_TOKEN;
            this.updatedNanos = now;
        }

        synchronized RateLimitDecision take(int perMinute, long now) {
            long capacity = perMinute * MICROS_PER_TOKEN;
            long elapsed = Math.max(0, now - updatedNanos);
            // perMinute tokens per 6e10 ns = perMinute micro-tokens per 60_000 ns; a minute refills the whole bucket
            long refill = Math.min(elapsed, NANOS_PER_MINUTE) * perMinute / 60_000;
            microTokens = Math.min(capacity, microTokens + refill);
            updatedNanos = now;
            boolean allowed = microTokens >= MICROS_PER_TOKEN;
            if (allowed) {
                microTokens -= MICROS_PER_TOKEN;
            }
            long microsPerMilli = perMinute * MICROS_PER_TOKEN / 60_000;
            long retryAfter = allowed ? 0 : ceilDiv(MICROS_PER_TOKEN - microTokens, Math.max(1, microsPerMilli));
            long reset = ceilDiv(capacity - microTokens, Math.max(1, microsPerMilli));
            return new RateLimitDecision(allowed, perMinute, microTokens / MICROS_PER_TOKEN, retryAfter, reset);
        }

        private static long ceilDiv(long a, long b) {
            return (a + b - 1) / b;
        }
    }
}
