package dev.gpuproxy.server.auth.security;

import dev.gpuproxy.server.account.service.UserDirectory;
import dev.gpuproxy.server.account.service.UserSnapshot;
import dev.gpuproxy.server.auth.service.ApiKeyService;
import dev.gpuproxy.server.auth.service.AuthService;
import dev.gpuproxy.server.auth.service.JwtService;
import dev.gpuproxy.server.auth.service.VerifiedKeyCache;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns a presented credential into a {@link SecurityIdentity} whose principal name is the user id and whose roles
 * are {@code user} (+ {@code admin}). A cached API key and a cached user resolve without blocking; anything else
 * (bcrypt, database, session lookup) runs on a worker thread.
 */
@ApplicationScoped
public class CredentialIdentityProvider implements IdentityProvider<CredentialRequest> {

    /** Identity attribute holding the API key id, when the caller used one. */
    public static final String API_KEY_ID = "gpuproxy.api-key-id";
    /** Identity attribute holding the login session id, when the caller used an access token. */
    public static final String SESSION_ID = "gpuproxy.session-id";
    /** Identity attribute holding the {@link UserSnapshot}. */
    public static final String USER = "gpuproxy.user";

    private final ApiKeyService apiKeys;
    private final JwtService jwt;
    private final AuthService auth;
    private final UserDirectory directory;

    CredentialIdentityProvider(ApiKeyService apiKeys, JwtService jwt, AuthService auth, UserDirectory directory) {
        this.apiKeys = apiKeys;
        this.jwt = jwt;
        this.auth = auth;
        this.directory = directory;
    }

    @Override
    public Class<CredentialRequest> getRequestType() {
        return CredentialRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CredentialRequest request, AuthenticationRequestContext context) {
        String credential = request.credential();
        if (ApiKeyService.looksLikeApiKey(credential)) {
            Optional<VerifiedKeyCache.VerifiedKey> cached = apiKeys.cached(credential);
            if (cached.isPresent()) {
                Optional<UserSnapshot> user = directory.cached(cached.get().userId());
                if (user.isPresent()) {
                    return Uni.createFrom().item(() -> forApiKey(cached.get(), user.get()));
                }
            }
            return context.runBlocking(() -> {
                VerifiedKeyCache.VerifiedKey key = apiKeys.verify(credential)
                        .orElseThrow(() -> new AuthenticationFailedException("Invalid, expired or revoked API key"));
                return forApiKey(key, activeUser(key.userId()));
            });
        }
        return context.runBlocking(() -> forAccessToken(credential));
    }

    private SecurityIdentity forAccessToken(String token) {
        JsonWebToken claims;
        try {
            claims = jwt.verify(token);
        } catch (ParseException e) {
            throw new AuthenticationFailedException("Invalid or expired access token");
        }
        String sessionId = claims.getClaim(JwtService.SESSION_CLAIM);
        if (sessionId == null || !auth.sessionActive(sessionId)) {
            throw new AuthenticationFailedException("The session of this access token has ended; log in again");
        }
        UserSnapshot user = activeUser(Long.parseLong(claims.getSubject()));
        return identity(user).addAttribute(SESSION_ID, sessionId).build();
    }

    private SecurityIdentity forApiKey(VerifiedKeyCache.VerifiedKey key, UserSnapshot user) {
        if (!user.active()) {
            throw new AuthenticationFailedException("This account is disabled");
        }
        return identity(user).addAttribute(API_KEY_ID, key.keyId()).build();
    }

    private UserSnapshot activeUser(long userId) {
        UserSnapshot user = directory.get(userId)
                .orElseThrow(() -> new AuthenticationFailedException("The account no longer exists"));
        if (!user.active()) {
            throw new AuthenticationFailedException("This account is disabled");
        }
        return user;
    }

    private static QuarkusSecurityIdentity.Builder identity(UserSnapshot user) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(String.valueOf(user.id())))
                .addRole(Caller.ROLE_USER)
                .addAttribute(USER, user);
        if (user.isAdmin()) {
            builder.addRole(Caller.ROLE_ADMIN);
        }
        return builder;
    }
}
