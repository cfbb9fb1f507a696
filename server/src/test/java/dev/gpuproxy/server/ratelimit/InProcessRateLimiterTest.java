package dev.gpuproxy.server.ratelimit;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InProcessRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final InProcessRateLimiter limiter = new InProcessRateLimiter(nanos::get);

    @Test
    void fullBucketAllowsExactlyItsCapacityThenRefuses() {
        for (int i = 0; i < 60; i++) {
            assertThat(limiter.acquireNow("u", 60).allowed()).isTrue();
        }
        RateLimitDecision refused = limiter.acquireNow("u", 60);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void refillIsContinuousNotInWholeMinuteSteps() {
        for (int i = 0; i < 60; i++) {
            limiter.acquireNow("u", 60);
        }
        nanos.addAndGet(999_000_000L);
        assertThat(limiter.acquireNow("u", 60).allowed()).isFalse();
        nanos.addAndGet(1_000_000L);
        assertThat(limiter.acquireNow("u", 60).allowed()).isTrue();
        nanos.addAndGet(10_000_000_000L);
        int allowed = 0;
        while (limiter.acquireNow("u", 60).allowed()) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(10);
    }

    @Test
    void bucketsAreIndependentPerKeyAndNeverExceedCapacity() {
        nanos.addAndGet(3_600_000_000_000L);
        int allowed = 0;
        while (limiter.acquireNow("a", 5).allowed()) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(limiter.acquireNow("b", 5).allowed()).isTrue();
    }

    @Test
    void aVeryHighLimitStaysFullAcrossPauses() {
        // 2e9 a minute: 4.7 s of rest times the limit passes Long.MAX_VALUE; that once drained the bucket.
        int perMinute = 2_000_000_000;
        for (int pause = 0; pause < 40; pause++) {
            nanos.addAndGet(4_700_000_000L);
            RateLimitDecision decision = limiter.acquireNow("u", perMinute);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(perMinute - 1L);
        }
    }
}
