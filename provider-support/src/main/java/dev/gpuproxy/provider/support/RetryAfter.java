package dev.gpuproxy.provider.support;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads an HTTP {@code Retry-After} header: either whole seconds or an HTTP date (RFC 9110, section 10.2.3). */
final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * The wait the provider asked for; empty when there is no header or it cannot be read, so the caller falls back
     * to its own backoff. A date in the past means "now".
     */
    static Optional<Duration> parse(Optional<String> header, Clock clock) {
        return header.map(String::strip).filter(value -> !value.isEmpty()).flatMap(value -> parse(value, clock));
    }

    private static Optional<Duration> parse(String value, Clock clock) {
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException tooLong) {
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L));
            }
        }
        try {
            ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), when.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }
}
