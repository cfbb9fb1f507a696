package dev.gpuproxy.server.ratelimit;

import dev.gpuproxy.ratelimit.RateLimitDecision;
import dev.gpuproxy.server.account.service.UserService;
import dev.gpuproxy.server.auth.service.AuthAttemptLimiter;
import dev.gpuproxy.server.auth.service.Tokens;
import dev.gpuproxy.server.common.error.ApiException;
import dev.gpuproxy.server.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Token buckets for the public authentication endpoints: AUTH_ATTEMPTS_PER_IP attempts a minute per client address and
 * endpoint (every attempt counts), and AUTH_FAILURES_PER_ACCOUNT login attempts a minute per account from any address,
 * counted until a login succeeds (which empties the count, so a user who knows the password is never slowed down).
 * Buckets live where the request limits live: Redis across replicas, memory when Redis is absent or down. Runs before
 * bcrypt, so refused guesses cost no hashing.
 */
@ApplicationScoped
public class AuthAttemptLimits implements AuthAttemptLimiter {

    /** The Redis call has its own timeout (REDIS_TIMEOUT) and falls back to memory; this only bounds a bug. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RateLimitService limits;
    private final AuthConfig config;

    AuthAttemptLimits(RateLimitService limits, AuthConfig config) {
        this.limits = limits;
        this.config = config;
    }

    @Override
    public void attempt(Action action, String ip, String account) {
        String endpoint = action.name().toLowerCase(Locale.ROOT);
        take("auth:" + endpoint + ":ip:" + (ip == null ? "unknown" : ip), config.attemptsPerIp(),
                "Too many " + endpoint + " attempts from your address");
        if (action == Action.LOGIN && account != null) {
            take(accountBucket(account), config.failuresPerAccount(),
                    "Too many failed logins for this account");
        }
    }

    @Override
    public void loggedIn(String account) {
        limits.reset(accountBucket(account));
    }

    private void take(String bucket, int perMinute, String reason) {
        RateLimitDecision decision = limits.acquire(bucket, perMinute).await().atMost(WAIT);
        if (!decision.allowed()) {
            long retryAfter = decision.retryAfterSeconds();
            throw new ApiException(429, "too_many_attempts", reason + "; retry in " + retryAfter + " s", Map.of(),
                    Map.of("Retry-After", String.valueOf(retryAfter)));
        }
    }

    /** Keyed by a hash, so Redis never holds email addresses. */
    private static String accountBucket(String account) {
        return "auth:login:account:" + Tokens.sha256Hex(UserService.normalizeEmail(account));
    }
}
