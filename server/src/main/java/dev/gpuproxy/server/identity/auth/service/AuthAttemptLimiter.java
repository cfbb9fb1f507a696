package dev.gpuproxy.server.identity.auth.service;

/**
 * Throttles the public authentication endpoints against guessing and abuse (OWASP ASVS 2.2.1): attempts per client
 * address for login, register and refresh, and login attempts per account since its last successful login. A port:
 * {@code auth} defines it, the rate-limit feature implements it (with Redis buckets shared by every replica).
 */
public interface AuthAttemptLimiter {

    enum Action { LOGIN, REGISTER, REFRESH }

    /**
     * Counts one attempt of {@code action} from {@code ip} (and, for a login, on {@code account}), before any work is
     * done for it.
     *
     * @throws dev.gpuproxy.server.common.error.ApiException 429 with Retry-After when a limit is reached
     */
    void attempt(Action action, String ip, String account);

    /** A login on {@code account} succeeded: its failed attempts are forgiven. */
    void loggedIn(String account);
}
