package dev.gpuproxy.lb;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import dev.gpuproxy.ratelimit.TokenBucket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One credential of a hosted API backend with its own request budget: a token bucket (requests per minute, refilled
 * continuously), a cooldown after a 429 (until Retry-After), and a disable after 401/403 until an admin re-enables it
 * or a re-validation succeeds. The secret is only ever shown masked.
 */
public final class BackendKey {

    private final String secret;
    private final String masked;
    private final Integer requestsPerMinute;
    private final TokenBucket bucket;
    private volatile long cooldownUntilNanos;
    private volatile boolean disabled;
    private volatile String disabledReason;
    private volatile long lastUsedNanos;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong authFailures = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();

    public BackendKey(String secret, Integer requestsPerMinute, long nowNanos) {
        this.secret = secret;
        this.masked = mask(secret);
        this.requestsPerMinute = requestsPerMinute;
        this.bucket = requestsPerMinute == null ? null : new TokenBucket(requestsPerMinute, nowNanos);
    }

    public String secret() {
        return secret;
    }

    public String masked() {
        return masked;
    }

    /** Not disabled and not cooling down (it may still be out of tokens). */
    public boolean available(long nowNanos) {
        return !disabled && cooldownUntilNanos <= nowNanos;
    }

    /** Takes a token if the key is available and has one; returns the bucket's answer (allowed or when to retry). */
    RateLimitDecision tryTake(long nowNanos) {
        if (!available(nowNanos)) {
            long wait = disabled ? Long.MAX_VALUE / 2 : (cooldownUntilNanos - nowNanos) / 1_000_000;
            return new RateLimitDecision(false, requestsPerMinute == null ? 0 : requestsPerMinute, 0, wait, wait);
        }
        if (bucket == null) {
            return new RateLimitDecision(true, 0, 0, 0, 0);
        }
        return bucket.take(requestsPerMinute, nowNanos);
    }

    public void used(long nowNanos) {
        requests.incrementAndGet();
        lastUsedNanos = nowNanos;
    }

    /** A 429: no requests on this key until {@code untilNanos}. */
    public void coolDown(long untilNanos) {
        rateLimited.incrementAndGet();
        if (untilNanos > cooldownUntilNanos) {
            cooldownUntilNanos = untilNanos;
        }
    }

    /** A 401/403: the provider refuses this key. */
    public void disable(String reason) {
        authFailures.incrementAndGet();
        disabledReason = reason;
        disabled = true;
    }

    public void enable() {
        disabled = false;
        disabledReason = null;
        cooldownUntilNanos = 0;
    }

    public void serverError() {
        serverErrors.incrementAndGet();
    }

    public boolean disabled() {
        return disabled;
    }

    public String disabledReason() {
        return disabledReason;
    }

    public long cooldownUntilNanos() {
        return cooldownUntilNanos;
    }

    public long lastUsedNanos() {
        return lastUsedNanos;
    }

    public long requests() {
        return requests.get();
    }

    public long rateLimitedCount() {
        return rateLimited.get();
    }

    public long authFailures() {
        return authFailures.get();
    }

    public long serverErrors() {
        return serverErrors.get();
    }

    public Integer requestsPerMinute() {
        return requestsPerMinute;
    }

    /** Whole tokens left, or -1 when the key has no per-minute limit. */
    public long tokensLeft(long nowNanos) {
        return bucket == null ? -1 : bucket.peek(requestsPerMinute, nowNanos);
    }

    /** {@code nvapi-...abc1}: enough to tell keys apart, never enough to use one. */
    public static String mask(String secret) {
        if (secret == null || secret.length() < 10) {
            return "****";
        }
        int dash = secret.indexOf('-');
        String head = dash > 0 && dash <= 8 ? secret.substring(0, dash + 1) : secret.substring(0, 3);
        return head + "..." + secret.substring(secret.length() - 4);
    }
}
