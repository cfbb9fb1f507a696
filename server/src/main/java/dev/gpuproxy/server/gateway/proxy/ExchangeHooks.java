package dev.gpuproxy.server.gateway.proxy;

import dev.gpuproxy.lb.Backend;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * What a protocol changes in a {@link ProxyExchange}: which of the client's headers travel to the backend, how the
 * backend's headers come back, and whether an answered failure may be retried elsewhere. The OpenAI and Open Inference
 * routes use {@link #NONE}; MCP passes its session and method headers and never replays a request a backend answered;
 * the Responses API seals the response ids in the body ({@link dev.gpuproxy.server.gateway.route.ResponseIdHooks}).
 */
public interface ExchangeHooks {

    ExchangeHooks NONE = new ExchangeHooks() { };

    /** Adds the client's protocol headers to the request for {@code backend}. */
    default void forwardRequestHeaders(HttpServerRequest client, Backend backend, MultiMap upstream) {
    }

    /** Adjusts the backend's headers (already copied, hop-by-hop ones removed) before they reach the client. */
    default void rewriteResponseHeaders(Backend backend, MultiMap toClient) {
    }

    /** Whether {@link #rewriteBody} changes the backend's body (its Content-Length then no longer holds). */
    default boolean rewritesBody() {
        return false;
    }

    /**
     * The part of a successful answer's {@code chunk} that may go to the client now, rewritten; what may continue in
     * the next chunk is kept back until then, or until {@link #bodyRest()}.
     */
    default Buffer rewriteBody(Buffer chunk) {
        return chunk;
    }

    /** What {@link #rewriteBody} kept back, at the end of the body. */
    default Buffer bodyRest() {
        return Buffer.buffer();
    }

    /**
     * Whether a request a backend answered with a failure (429, 5xx, a bad key, "no such model") may be sent to another
     * backend. False hands every answer to the client as it is; only unreachable backends are then skipped.
     */
    default boolean retriesAnsweredFailures() {
        return true;
    }
}
