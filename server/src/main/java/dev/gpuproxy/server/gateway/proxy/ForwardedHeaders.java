package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.server.identity.auth.security.CredentialAuthMechanism;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header policy of the proxied paths (instance pass-through {@code /proxy/{id}/**}, HTTP and WebSocket, and the
 * envelope's caller-written headers): the client's headers
 * go to the instance minus every credential of ours, plus X-Forwarded-*. An instance runs on a host rented from a
 * marketplace, so nothing that lets it act as the tenant may reach it: {@code X-API-Key}, an {@code Authorization}
 * carrying a gpuproxy key or access token, the {@code bearer} WebSocket subprotocol with the token after it, and the
 * browser's cookies (they belong to gpuproxy's origin, and to whatever sits in front of it, never to the instance). Any
 * other header whose value carries one of our keys or tokens is dropped too. The instance's own credentials (e.g.
 * {@code Authorization: Basic ...} next to {@code X-API-Key}) pass.
 */
public final class ForwardedHeaders {

    /** A gpuproxy API key anywhere in a value. */
    private static final Pattern API_KEY = Pattern.compile("gpx_[A-Za-z0-9]{4,}_[A-Za-z0-9]+");
    /** Something shaped like a JWT; it is ours only if our key signed it. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    /** Never forwarded: our credential headers, our own control header, and the browser's cookies for our origin. */
    private static final Set<String> DROPPED = Set.of("x-api-key", "x-timelimit", "cookie", "cookie2",
            "proxy-authorization");
    static final String SUBPROTOCOLS = "Sec-WebSocket-Protocol";

    private final Predicate<String> signedByUs;

    /** {@code signedByUs}: whether a JWT-shaped token carries our signature. */
    public ForwardedHeaders(Predicate<String> signedByUs) {
        this.signedByUs = signedByUs;
    }

    /** The headers to send to the instance for {@code request}. */
    public MultiMap toInstance(HttpServerRequest request) {
        String credential = CredentialAuthMechanism.credentialOf(request::getHeader);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        request.headers().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (DROPPED.contains(name)) {
                return;
            }
            String value = name.equals(SUBPROTOCOLS.toLowerCase(Locale.ROOT))
                    ? withoutBearer(header.getValue(), credential) : header.getValue();
            if (value != null && !carriesOurCredential(value, credential)) {
                headers.add(header.getKey(), value);
            }
        });
        if (request.remoteAddress() != null) {
            String prior = headers.get("X-Forwarded-For");
            headers.set("X-Forwarded-For", (prior == null ? "" : prior + ", ") + request.remoteAddress().hostAddress());
        }
        headers.set("X-Forwarded-Proto", request.scheme() == null ? "http" : request.scheme());
        if (request.authority() != null) {
            headers.set("X-Forwarded-Host", request.authority().toString());
        }
        return headers;
    }

    /**
     * The headers a caller wrote into an HTTP envelope, minus any whose value carries one of our keys or tokens (the
     * caller's own credential pasted in, or any other gpuproxy key or access token): the envelope's target is a rented
     * host too. Header names are the caller's choice here (an {@code X-API-Key} for the target's own service passes).
     */
    public MultiMap withoutOurCredentials(MultiMap given, String presentedCredential) {
        MultiMap kept = MultiMap.caseInsensitiveMultiMap();
        given.forEach(header -> {
            if (!carriesOurCredential(header.getValue(), presentedCredential)) {
                kept.add(header.getKey(), header.getValue());
            }
        });
        return kept;
    }

    /** Whether the client offered the {@code bearer} subprotocol (its token was removed on the way to the instance). */
    static boolean offeredBearer(HttpServerRequest request) {
        String offered = request.getHeader(SUBPROTOCOLS);
        return offered != null && Arrays.stream(offered.split(",")).map(String::trim)
                .anyMatch(CredentialAuthMechanism.BEARER_SUBPROTOCOL::equals);
    }

    /** The offered subprotocols without {@code bearer} and the token after it; null when none is left. */
    private String withoutBearer(String offered, String credential) {
        List<String> kept = new ArrayList<>();
        String[] parts = offered.split(",");
        for (int i = 0; i < parts.length; i++) {
            String protocol = parts[i].trim();
            if (protocol.equals(CredentialAuthMechanism.BEARER_SUBPROTOCOL)) {
                i++; // the token
                continue;
            }
            if (!protocol.isEmpty() && !carriesOurCredential(protocol, credential)) {
                kept.add(protocol);
            }
        }
        return kept.isEmpty() ? null : String.join(", ", kept);
    }

    private boolean carriesOurCredential(String value, String credential) {
        if (credential != null && value.contains(credential)) {
            return true;
        }
        if (API_KEY.matcher(value).find()) {
            return true;
        }
        Matcher token = JWT.matcher(value);
        while (token.find()) {
            if (signedByUs.test(token.group())) {
                return true;
            }
        }
        return false;
    }
}
