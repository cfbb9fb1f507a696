package dev.gpuproxy.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void defaultIsThreeRetriesFrom150MillisGrowingByHalf() {
        assertEquals(3, RetryPolicy.DEFAULT.maxRetries());
        assertEquals(Duration.ofMillis(150), RetryPolicy.DEFAULT.delayBefore(1));
        assertEquals(Duration.ofMillis(225), RetryPolicy.DEFAULT.delayBefore(2));
        assertEquals(Duration.ofMillis(337), RetryPolicy.DEFAULT.delayBefore(3));
    }

    @Test
    void defaultWaitsOutRetryAfterUpToTenSeconds() {
        assertTrue(RetryPolicy.DEFAULT.willWait(Duration.ofSeconds(10)));
        assertFalse(RetryPolicy.DEFAULT.willWait(Duration.ofSeconds(11)));
    }

    @Test
    void rejectsNegativeValuesAndShrinkingBackoff() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(-1, Duration.ZERO, 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ofMillis(-1), 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ZERO, 0.5, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ZERO, 1, Duration.ofSeconds(-1)));
    }
}
