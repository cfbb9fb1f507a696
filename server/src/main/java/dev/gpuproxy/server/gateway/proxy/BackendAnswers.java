package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.lb.FailureKind;
import io.vertx.core.MultiMap;
import java.time.Instant;

/** What a backend's answer says about the backend: whom a failure status blames, and how long a rate limit lasts. */
final class BackendAnswers {

    private BackendAnswers() {
    }

    /** Null when the backend is not to blame (success or the client's own error). */
    static FailureKind classify(int status) {
        if (status == 429) {
            return FailureKind.RATE_LIMITED;
        }
        if (status == 401 || status == 403) {
            return FailureKind.BAD_CREDENTIAL;
        }
        if (status == 404) {
            return FailureKind.CLIENT_ERROR;
        }
        if (status >= 500) {
            return FailureKind.SERVER_ERROR;
        }
        return null;
    }

    /** Retry-After (seconds or HTTP date), else x-ratelimit-reset-requests / -tokens ("1s", "6m0s"), else 10 s. */
    static long retryAfterSeconds(MultiMap headers) {
        String retryAfter = headers.get("Retry-After");
        if (retryAfter != null) {
            try {
                return Math.max(1, Long.parseLong(retryAfter.trim()));
            } catch (NumberFormatException notSeconds) {
                try {
                    long at = java.time.ZonedDateTime.parse(retryAfter.trim(),
                            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
                    return Math.max(1, at - Instant.now().getEpochSecond());
                } catch (RuntimeException unparseable) {
                    // fall through
                }
            }
        }
        for (String name : new String[] {"x-ratelimit-reset-requests", "x-ratelimit-reset-tokens", "x-ratelimit-reset"}) {
            String value = headers.get(name);
            if (value != null) {
                long seconds = parseGoDuration(value.trim());
                if (seconds > 0) {
                    return seconds;
                }
            }
        }
        return 10;
    }

    /** "6m0s", "1.5s", "250ms", or plain seconds; 0 when unreadable. */
    static long parseGoDuration(String value) {
        try {
            if (value.matches("\\d+(\\.\\d+)?")) {
                return (long) Math.ceil(Double.parseDouble(value));
            }
            double total = 0;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)").matcher(value);
            boolean any = false;
            while (m.find()) {
                any = true;
                double n = Double.parseDouble(m.group(1));
                total += switch (m.group(2)) {
                    case "h" -> n * 3600;
                    case "m" -> n * 60;
                    case "ms" -> n / 1000;
                    default -> n;
                };
            }
            return any ? (long) Math.ceil(total) : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

}
