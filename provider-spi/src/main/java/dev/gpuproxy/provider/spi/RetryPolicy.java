package dev.gpuproxy.provider.spi;

import java.time.Duration;

/**
 * How often and how patiently {@link ProviderHttp} retries rate-limited, overloaded or unreachable providers.
 *
 * @param maxRetries   retries after the first attempt
 * @param initialDelay wait before the first retry
 * @param multiplier   factor applied to the wait before each further retry
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, double multiplier) {

    /**
     * What the official vast.ai CLI does (3 retries, 0.15 s growing by 1.5); marketplaces send no Retry-After,
     * so a short exponential backoff is the only signal to go by.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(150), 1.5);

    /** Never retry. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, 1);

    public RetryPolicy {
        if (maxRetries < 0 || initialDelay.isNegative() || multiplier < 1) {
            throw new IllegalArgumentException("retries and delay must not be negative, multiplier at least 1");
        }
    }

    /** Wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry) {
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, retry - 1);
        return Duration.ofNanos(Math.round(nanos));
    }
}
