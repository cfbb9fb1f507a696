package dev.gpuproxy.server.ratelimit;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import io.smallrye.mutiny.Uni;

/**
 * Token buckets that refill continuously: {@code perMinute} tokens of capacity, refilled at {@code perMinute / 60}
 * per second. One request takes one token.
 */
public interface RateLimiter {

    Uni<RateLimitDecision> acquire(String bucket, int perMinute);
}
