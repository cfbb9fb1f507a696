package dev.gpuproxy.server.identity.auth.security;

import dev.gpuproxy.server.common.security.Caller;
import dev.gpuproxy.server.identity.account.service.UserSnapshot;
import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

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

    private final CredentialVerifier verifier;

    CredentialIdentityProvider(CredentialVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Class<CredentialRequest> getRequestType() {
        return CredentialRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(CredentialRequest request, AuthenticationRequestContext context) {
        String credential = request.credential();
        try {
            Optional<CredentialVerifier.Verified> cached = verifier.cached(credential);
            if (cached.isPresent()) {
                return Uni.createFrom().item(identity(cached.get()));
            }
        } catch (CredentialVerifier.Refused refused) {
            return Uni.createFrom().failure(new AuthenticationFailedException(refused.getMessage()));
        }
        return context.runBlocking(() -> {
            try {
                return identity(verifier.verify(credential));
            } catch (CredentialVerifier.Refused refused) {
                throw new AuthenticationFailedException(refused.getMessage());
            }
        });
    }

    private static SecurityIdentity identity(CredentialVerifier.Verified verified) {
        UserSnapshot user = verified.user();
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(String.valueOf(user.id())))
                .addRole(Caller.ROLE_USER)
                .addAttribute(USER, user);
        if (user.isAdmin()) {
            builder.addRole(Caller.ROLE_ADMIN);
        }
        if (verified.apiKeyId() != null) {
            builder.addAttribute(API_KEY_ID, verified.apiKeyId());
        }
        if (verified.sessionId() != null) {
            builder.addAttribute(SESSION_ID, verified.sessionId());
        }
        return builder.build();
    }
}
