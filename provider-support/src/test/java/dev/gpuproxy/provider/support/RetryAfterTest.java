package dev.gpuproxy.provider.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsWholeSeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryAfter.parse(Optional.of(" 7 "), NOW));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse(Optional.of("0"), NOW));
    }

    @Test
    void readsAnHttpDateAsTheTimeLeftUntilIt() {
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                RetryAfter.parse(Optional.of("Thu, 01 Jan 2026 12:01:30 GMT"), NOW));
    }

    @Test
    void aDateInThePastMeansNow() {
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse(Optional.of("Thu, 01 Jan 2026 11:00:00 GMT"), NOW));
    }

    @Test
    void absentOrUnreadableHeadersLeaveTheBackoffInCharge() {
        assertEquals(Optional.empty(), RetryAfter.parse(Optional.empty(), NOW));
        assertEquals(Optional.empty(), RetryAfter.parse(Optional.of(""), NOW));
        assertEquals(Optional.empty(), RetryAfter.parse(Optional.of("soon"), NOW));
        assertEquals(Optional.empty(), RetryAfter.parse(Optional.of("-5"), NOW));
    }

    @Test
    void absurdlyLargeSecondsStillReadAsAVeryLongWait() {
        assertEquals(true, RetryAfter.parse(Optional.of("99999999999999999999999"), NOW).orElseThrow()
                .compareTo(Duration.ofDays(365)) > 0);
    }
}
