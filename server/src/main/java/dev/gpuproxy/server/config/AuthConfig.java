package dev.gpuproxy.server.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/**
 * Accounts, tokens, API keys and request limits. The seed product's variable names (JWT_SECRET, BCRYPT_COST, ...)
 * are read through the defaults below.
 */
@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    /** JWT_SECRET: HMAC key (at least 32 bytes) that signs access tokens; unset = a random key per process (dev). */
    @WithDefault("${JWT_SECRET:}")
    Optional<String> jwtSecret();

    /** JWT_EXPIRATION: lifetime of an access token. */
    @WithDefault("${JWT_EXPIRATION:24h}")
    Duration jwtExpiration();

    /** JWT_ISSUER: the {@code iss} claim written and required. */
    @WithDefault("${JWT_ISSUER:gpuproxy}")
    String jwtIssuer();

    /** REFRESH_EXPIRATION: lifetime of a login session (its refresh token). */
    @WithDefault("${REFRESH_EXPIRATION:168h}")
    Duration refreshExpiration();

    /** API_KEY_LENGTH: characters of random secret in a new API key. */
    @WithDefault("${API_KEY_LENGTH:32}")
    @Min(24)
    @Max(64)
    int apiKeyLength();

    /** BCRYPT_COST: work factor of password and API-key hashes. */
    @WithDefault("${BCRYPT_COST:12}")
    @Min(4)
    @Max(16)
    int bcryptCost();

    /** PASSWORD_MIN_LENGTH: the shortest password accepted. */
    @WithDefault("${PASSWORD_MIN_LENGTH:10}")
    @Min(8)
    int passwordMinLength();

    /** ADMIN_EMAIL: with ADMIN_PASSWORD, creates the first admin at start when no admin exists. */
    @WithDefault("${ADMIN_EMAIL:}")
    Optional<String> adminEmail();

    /** ADMIN_PASSWORD (never logged). */
    @WithDefault("${ADMIN_PASSWORD:}")
    Optional<String> adminPassword();

    /** RATE_LIMIT_PER_MINUTE: default requests per minute per user (an admin can set another per user). */
    @WithDefault("${RATE_LIMIT_PER_MINUTE:100}")
    @Min(1)
    int rateLimitPerMinute();

    /**
     * AUTH_ATTEMPTS_PER_IP: login, register and refresh attempts per minute from one client address (each endpoint
     * counted on its own); more get 429 with Retry-After. Behind a reverse proxy, let gpuproxyd see client addresses
     * (QUARKUS_HTTP_PROXY_* settings), or every client shares the proxy's count.
     */
    @WithDefault("${AUTH_ATTEMPTS_PER_IP:30}")
    @Min(1)
    int attemptsPerIp();

    /**
     * AUTH_FAILURES_PER_ACCOUNT: login attempts per minute on one account, from any address, counted until a login
     * succeeds; more get 429 with Retry-After (password guessing spread over many addresses).
     */
    @WithDefault("${AUTH_FAILURES_PER_ACCOUNT:5}")
    @Min(1)
    int failuresPerAccount();

    /** API_KEY_CACHE_SIZE: verified API keys kept in memory so requests skip bcrypt. */
    @WithDefault("${API_KEY_CACHE_SIZE:10000}")
    @Min(1)
    int apiKeyCacheSize();
}
