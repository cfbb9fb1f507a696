package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.BackendKey;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * The protocol header policy of a {@link ProxyExchange}: which headers a request to a backend carries (the gateway's
 * key for that backend in the provider's scheme, never the caller's credential); what reaches the client back is
 * {@link HopByHopHeaders}' business. A protocol adds its own through {@link ExchangeHooks}.
 */
final class ExchangeHeaders {

    private ExchangeHeaders() {
    }

    /**
     * The headers of a request to {@code backend}: what the client accepts, the provider's version headers, and the
     * backend's {@code key} (null when it needs none) where that provider expects it. The body's type is the caller's.
     */
    static MultiMap toBackend(HttpServerRequest client, Backend backend, BackendKey key, boolean stream) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        String accept = client.getHeader("Accept");
        headers.set("Accept", accept != null ? accept : stream ? "text/event-stream" : "application/json");
        headers.set("User-Agent", "gpuproxy");
        if ("anthropic".equals(backend.kind())) {
            String version = client.getHeader("anthropic-version");
            headers.set("anthropic-version", version != null ? version : "2023-06-01");
            String beta = client.getHeader("anthropic-beta");
            if (beta != null) {
                headers.set("anthropic-beta", beta);
            }
            if (key != null) {
                headers.set("x-api-key", key.secret());
            }
        } else if (key != null) {
            headers.set("Authorization", "Bearer " + key.secret());
        }
        return headers;
    }
}
