package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.account.service.UserDirectory;
import dev.gpuproxy.server.account.service.UserSnapshot;
import dev.gpuproxy.server.auth.security.CredentialAuthMechanism;
import dev.gpuproxy.server.auth.service.ApiKeyService;
import dev.gpuproxy.server.auth.service.AuthService;
import dev.gpuproxy.server.auth.service.JwtService;
import dev.gpuproxy.server.auth.service.VerifiedKeyCache;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Authentication for the gateway's own routes. A key seen before (and its user) resolves from memory on the event
 * loop; only a first sight of a key (bcrypt), an access token (session check) or an uncached user goes to a worker.
 */
@ApplicationScoped
public class GatewayAuthenticator {

    /** Why a request could not be authenticated; the message is safe to show to the caller. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final ApiKeyService apiKeys;
    private final JwtService jwt;
    private final AuthService auth;
    private final UserDirectory directory;
    private final Vertx vertx;

    GatewayAuthenticator(ApiKeyService apiKeys, JwtService jwt, AuthService auth, UserDirectory directory,
                         Vertx vertx) {
        this.apiKeys = apiKeys;
        this.jwt = jwt;
        this.auth = auth;
        this.directory = directory;
        this.vertx = vertx;
    }

    public Future<GatewayCaller> authenticate(RoutingContext context) {
        String credential = CredentialAuthMechanism.credentialOf(context);
        String ip = context.request().remoteAddress() == null ? null : context.request().remoteAddress().hostAddress();
        if (credential == null) {
            return Future.failedFuture(new Refused("Missing API key: send Authorization: Bearer gpx_... or X-API-Key"));
        }
        if (ApiKeyService.looksLikeApiKey(credential)) {
            Optional<VerifiedKeyCache.VerifiedKey> cached = apiKeys.cached(credential);
            if (cached.isPresent()) {
                Optional<UserSnapshot> user = directory.cached(cached.get().userId());
                if (user.isPresent()) {
                    return active(user.get()).map(u -> new GatewayCaller(u, "key:" + cached.get().keyId(), ip));
                }
            }
            return vertx.executeBlocking(() -> {
                VerifiedKeyCache.VerifiedKey key = apiKeys.verify(credential)
                        .orElseThrow(() -> new Refused("Invalid, expired or revoked API key"));
                return new GatewayCaller(activeUser(key.userId()), "key:" + key.keyId(), ip);
            }, false);
        }
        return vertx.executeBlocking(() -> {
            JsonWebToken claims;
            try {
                claims = jwt.verify(credential);
            } catch (ParseException e) {
                throw new Refused("Invalid or expired access token");
            }
            String sessionId = claims.getClaim(JwtService.SESSION_CLAIM);
            if (sessionId == null || !auth.sessionActive(sessionId)) {
                throw new Refused("The session of this access token has ended");
            }
            return new GatewayCaller(activeUser(Long.parseLong(claims.getSubject())), "session:" + sessionId, ip);
        }, false);
    }

    private UserSnapshot activeUser(long userId) {
        UserSnapshot user = directory.get(userId).orElseThrow(() -> new Refused("The account no longer exists"));
        if (!user.active()) {
            throw new Refused("This account is disabled");
        }
        return user;
    }

    private static Future<UserSnapshot> active(UserSnapshot user) {
        return user.active() ? Future.succeededFuture(user) : Future.failedFuture(new Refused("This account is disabled"));
    }
}
