package dev.gpuproxy.ratelimit;

/**
 * The answer of a token bucket: whether this request may pass, and the numbers for the X-RateLimit headers.
 *
 * @param limit            requests per minute (the bucket's capacity)
 * @param remaining        whole tokens left after this request
 * @param retryAfterMillis when refused, how long until one token is back (0 when allowed)
 * @param resetMillis      how long until the bucket is full again
 */
public record RateLimitDecision(boolean allowed, int limit, long remaining, long retryAfterMillis, long resetMillis) {

    public long retryAfterSeconds() {
        return Math.max(1, (retryAfterMillis + 999) / 1000);
    }

    public long resetSeconds() {
        return (resetMillis + 999) / 1000;
    }
}
