package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.server.gateway.proxy.ExchangeHooks;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Set;

/**
 * The MCP Streamable HTTP headers of one request: the client's protocol headers go to the backend (its session id
 * unsealed), the backend's session id comes back sealed, and a request a backend answered is never replayed elsewhere
 * (a tool call may have side effects).
 */
final class McpHeaders implements ExchangeHooks {

    static final String SESSION = "Mcp-Session-Id";
    private static final Set<String> FORWARDED = Set.of("content-type", "mcp-protocol-version", "mcp-method",
            "mcp-name", "last-event-id");
    private static final String PARAM_PREFIX = "mcp-param-";

    private final McpSessions sessions;
    private final long userId;
    private final String backendSessionId;

    /** {@code backendSessionId}: the unsealed session of the request, or null for none. */
    McpHeaders(McpSessions sessions, long userId, String backendSessionId) {
        this.sessions = sessions;
        this.userId = userId;
        this.backendSessionId = backendSessionId;
    }

    @Override
    public void forwardRequestHeaders(HttpServerRequest client, Backend backend, MultiMap upstream) {
        client.headers().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (FORWARDED.contains(name) || name.startsWith(PARAM_PREFIX)) {
                upstream.set(header.getKey(), header.getValue());
            }
        });
        if (backendSessionId != null) {
            upstream.set(SESSION, backendSessionId);
        }
    }

    @Override
    public void rewriteResponseHeaders(Backend backend, MultiMap toClient) {
        String issued = toClient.get(SESSION);
        if (issued != null) {
            toClient.set(SESSION, sessions.seal(userId, backend.id(), issued));
        }
    }

    @Override
    public boolean retriesAnsweredFailures() {
        return false;
    }
}
