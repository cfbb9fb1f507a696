package dev.gpuproxy.server.identity.auth.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the caller's credential from {@code X-API-Key} or {@code Authorization: Bearer <jwt | api key>}. A request with
 * neither stays anonymous (public endpoints work; protected ones answer 401 with a challenge).
 */
@ApplicationScoped
public class CredentialAuthMechanism implements HttpAuthenticationMechanism {

    public static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "bearer ";
    /** The WebSocket subprotocol a browser offers with its token as the next one; the server answers with it alone. */
    public static final String BEARER_SUBPROTOCOL = "bearer";
    private static final ChallengeData CHALLENGE =
            new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"gpuproxy\"");

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String credential = credentialOf(context);
        if (credential == null) {
            return Uni.createFrom().nullItem();
        }
        return identityProviderManager.authenticate(new CredentialRequest(credential));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(CHALLENGE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(CredentialRequest.class);
    }

    /** The credential of a request, or null; an empty or blank header counts as no credential. */
    public static String credentialOf(RoutingContext context) {
        return credentialOf(context.request()::getHeader);
    }

    /**
     * The credential among a request's headers: {@code X-API-Key}, else {@code Authorization: Bearer}, else, for a
     * WebSocket handshake from a browser (which cannot set headers), the token after {@code bearer} in
     * {@code Sec-WebSocket-Protocol} ({@code new WebSocket(url, ["bearer", token])}).
     */
    public static String credentialOf(Function<String, String> header) {
        String apiKey = header.apply(API_KEY_HEADER);
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String authorization = header.apply("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).trim();
            return token.isEmpty() ? null : token;
        }
        String subprotocols = header.apply("Sec-WebSocket-Protocol");
        if (subprotocols != null && "websocket".equalsIgnoreCase(header.apply("Upgrade"))) {
            List<String> offered = Arrays.stream(subprotocols.split(",")).map(String::trim).toList();
            int bearer = offered.indexOf(BEARER_SUBPROTOCOL);
            if (bearer >= 0 && bearer + 1 < offered.size() && !offered.get(bearer + 1).isEmpty()) {
                return offered.get(bearer + 1);
            }
        }
        return null;
    }
}
