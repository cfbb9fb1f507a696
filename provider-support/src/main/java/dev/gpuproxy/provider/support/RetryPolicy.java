package dev.gpuproxy.provider.support;

import java.time.Duration;

/**
 * How often and how patiently {@link ProviderHttp} retries rate-limited, overloaded or unreachable providers.
 *
 * @param maxRetries        retries after the first attempt
 * @param initialDelay      wait before the first retry
 * @param multiplier        factor applied to the wait before each further retry
 * @param longestRetryAfter longest {@code Retry-After} worth waiting for; a provider asking for more is reported
 *                          rate limited at once, so the caller comes back later instead of holding a thread
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, double multiplier, Duration longestRetryAfter) {

    /**
     * What the official vast.ai CLI does (3 retries, 0.15 s growing by 1.5); vast.ai sends no Retry-After, so a short
     * exponential backoff is the only signal to go by there. Other providers may send one; up to 10 s is waited out.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(150), 1.5, Duration.ofSeconds(10));

    /** Never retry. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, 1, Duration.ZERO);

    public RetryPolicy {
        if (maxRetries < 0 || initialDelay.isNegative() || multiplier < 1 || longestRetryAfter.isNegative()) {
            throw new IllegalArgumentException("retries and delays must not be negative, multiplier at least 1");
        }
    }

    /** Wait before retry number {@code retry} (1 for the first retry), to the millisecond. */
    public Duration delayBefore(int retry) {
        double millis = initialDelay.toMillis() * Math.pow(multiplier, retry - 1);
        return Duration.ofMillis((long) millis);
    }

    /** Whether a provider's {@code Retry-After} is short enough to wait for. */
    boolean willWait(Duration retryAfter) {
        return retryAfter.compareTo(longestRetryAfter) <= 0;
    }
}
