package dev.gpuproxy.server.identity.auth.service;

import dev.gpuproxy.server.identity.account.service.UserDirectory;
import dev.gpuproxy.server.identity.account.service.UserSnapshot;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a presented credential (an API key {@code gpx_...} or an access token) into the active user behind it. Used by
 * the REST security layer and by the gateway routes alike. {@link #cached} answers from memory only (a key seen
 * before and its user); {@link #verify} may run bcrypt, read the database and check the login session, so it must
 * run on a worker thread.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class CredentialVerifier {

    /** Who a credential belongs to, and through which key or login session. */
    public record Verified(UserSnapshot user, Long apiKeyId, String sessionId) {

        /** A stable client id for metering: the key or the session. */
        public String clientId() {
            return apiKeyId != null ? "key:" + apiKeyId : "session:" + sessionId;
        }
    }

    /** The credential is not valid; the message is safe to show to the caller. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final ApiKeyService apiKeys;
    private final JwtService jwt;
    private final AuthService auth;
    private final UserDirectory directory;

    CredentialVerifier(ApiKeyService apiKeys, JwtService jwt, AuthService auth, UserDirectory directory) {
        this.apiKeys = apiKeys;
        this.jwt = jwt;
        this.auth = auth;
        this.directory = directory;
    }

    /**
     * The answer from memory, without blocking: present only for an API key verified before whose user is cached.
     *
     * @throws Refused when that cached user is disabled
     */
    public Optional<Verified> cached(String credential) {
        if (!ApiKeyService.looksLikeApiKey(credential)) {
            return Optional.empty();
        }
        Optional<VerifiedKeyCache.VerifiedKey> key = apiKeys.cached(credential);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Optional<UserSnapshot> user = directory.cached(key.get().userId());
        if (user.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Verified(active(user.get()), key.get().keyId(), null));
    }

    /**
     * The full check (blocking).
     *
     * @throws Refused when the credential is invalid, expired, revoked, or its user is disabled or gone
     */
    public Verified verify(String credential) {
        if (ApiKeyService.looksLikeApiKey(credential)) {
            VerifiedKeyCache.VerifiedKey key = apiKeys.verify(credential)
                    .orElseThrow(() -> new Refused("Invalid, expired or revoked API key"));
            return new Verified(activeUser(key.userId()), key.keyId(), null);
        }
        JsonWebToken claims;
        try {
            claims = jwt.verify(credential);
        } catch (ParseException e) {
            throw new Refused("Invalid or expired access token");
        }
        String sessionId = claims.getClaim(JwtService.SESSION_CLAIM);
        if (sessionId == null || !auth.sessionActive(sessionId)) {
            throw new Refused("The session of this access token has ended; log in again");
        }
        return new Verified(activeUser(Long.parseLong(claims.getSubject())), null, sessionId);
    }

    private UserSnapshot activeUser(long userId) {
        return active(directory.get(userId).orElseThrow(() -> new Refused("The account no longer exists")));
    }

    private static UserSnapshot active(UserSnapshot user) {
        if (!user.active()) {
            throw new Refused("This account is disabled");
        }
        return user;
    }
}
