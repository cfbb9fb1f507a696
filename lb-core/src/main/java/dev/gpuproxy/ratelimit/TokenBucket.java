package dev.gpuproxy.ratelimit;

/**
 * One token bucket: {@code perMinute} tokens of capacity, refilled continuously (not in whole-minute steps). Tokens
 * are counted in millionths so refill never rounds a request away. Thread-safe.
 */
public final class TokenBucket {

    private static final long MICROS_PER_TOKEN = 1_000_000L;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private long microTokens;
    private long updatedNanos;

    public TokenBucket(int capacity, long now) {
        this.microTokens = capacity * MICROS_PER_TOKEN;
        this.updatedNanos = now;
    }

    public synchronized RateLimitDecision take(int perMinute, long now) {
        long capacity = perMinute * MICROS_PER_TOKEN;
        microTokens = Math.min(capacity, microTokens + refill(now - updatedNanos, perMinute));
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

    /** Whole tokens available now, without taking one. */
    public synchronized long peek(int perMinute, long now) {
        long capacity = perMinute * MICROS_PER_TOKEN;
        return Math.min(capacity, microTokens + refill(now - updatedNanos, perMinute)) / MICROS_PER_TOKEN;
    }

    /**
     * Micro-tokens that {@code elapsedNanos} refill: perMinute tokens per 6e10 ns are perMinute micro-tokens per
     * 60,000 ns, and a minute refills the whole bucket. Whole 60,000 ns steps and the rest are counted apart, because
     * {@code elapsed * perMinute} passes {@code Long.MAX_VALUE} for a limit above about 150 million a minute (the
     * "unlimited" an operator may configure) after a few seconds of rest, and would have turned into a drain.
     */
    static long refill(long elapsedNanos, int perMinute) {
        long elapsed = Math.min(Math.max(0, elapsedNanos), NANOS_PER_MINUTE);
        return elapsed / 60_000 * perMinute + elapsed % 60_000 * perMinute / 60_000;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
