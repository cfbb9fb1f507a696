package dev.gpuproxy.server.gateway.admission;

import dev.gpuproxy.server.identity.auth.security.CredentialAuthMechanism;
import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import dev.gpuproxy.server.gateway.GatewayCaller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Authentication for the gateway's own routes, through the same {@link CredentialVerifier} as the REST API. A key seen
 * before (and its user) resolves from memory on the event loop; only a first sight of a key (bcrypt), an access token
 * (session check) or an uncached user goes to a worker. Failures are {@link CredentialVerifier.Refused}.
 */
// Called on every gateway request: a @Singleton has no client proxy to resolve per call (see DataPlaneRoutes).
@Singleton
public class GatewayAuthenticator {

    private final CredentialVerifier verifier;
    private final Vertx vertx;
    /** Quarkus takes the caller's address from X-Forwarded-For / Forwarded: only its request wrapper knows it. */
    private final boolean addressForwarded;

    GatewayAuthenticator(CredentialVerifier verifier, Vertx vertx,
                         @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false")
                         boolean addressForwarded) {
        this.verifier = verifier;
        this.vertx = vertx;
        this.addressForwarded = addressForwarded;
    }

    public Future<GatewayCaller> authenticate(RoutingContext context) {
        return authenticate(CredentialAuthMechanism.credentialOf(context), callerIp(context.request()));
    }

    /**
     * The caller's IP address, recorded with its usage. Unless Quarkus reads it from forwarding headers, it is the
     * connection's peer, asked of the connection: the router's request wrapper answers {@code remoteAddress()} only
     * after working out the request's scheme, authority and absolute URI (1-2% of a proxied request), to return the
     * same address.
     */
    String callerIp(HttpServerRequest request) {
        SocketAddress address = addressForwarded || request.connection() == null
                ? request.remoteAddress() : request.connection().remoteAddress();
        return address == null ? null : address.hostAddress();
    }

    /** The same for a transport without a RoutingContext (gRPC): the credential found in its headers, or null. */
    public Future<GatewayCaller> authenticate(String credential, String ip) {
        if (credential == null) {
            return Future.failedFuture(new CredentialVerifier.Refused(
                    "Missing API key: send Authorization: Bearer gpx_... or X-API-Key"));
        }
        try {
            Optional<CredentialVerifier.Verified> cached = verifier.cached(credential);
            if (cached.isPresent()) {
                return Future.succeededFuture(caller(cached.get(), ip));
            }
        } catch (CredentialVerifier.Refused refused) {
            return Future.failedFuture(refused);
        }
        return vertx.executeBlocking(() -> caller(verifier.verify(credential), ip), false);
    }

    private static GatewayCaller caller(CredentialVerifier.Verified verified, String ip) {
        return new GatewayCaller(verified.user(), verified.clientId(), ip);
    }
}
