package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.server.config.ServerConfig;
import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.gateway.DataPlaneRoutes;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.gateway.proxy.ProxyExchange;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * MCP Streamable HTTP gateway: {@code /mcp} (the caller's MCP pool) and {@code /mcp/{pool}}, POST, GET and DELETE
 * passed to an {@code mcp} backend through the same exchange as the other protocols (admission, credits, metering,
 * balancing). Answers keep their status (202, 400, 404, 405) and SSE streams flow through unbuffered. A request with a
 * session id goes to the backend that issued it ({@link McpSessions}); one without (initialize, or the stateless
 * 2026-07-28 protocol) goes where the pool's strategy says. A Host that is not ours and browser origins other than our
 * own or CORS_ORIGINS get 403 ({@link McpOriginPolicy}).
 */
@ApplicationScoped
public class McpRoutes {

    private static final int ORDER = DataPlaneRoutes.ORDER;
    static final String KIND = "mcp";
    /** The pool {@code /mcp} means when the caller has no private MCP pool and several global ones exist. */
    public static final String DEFAULT_POOL = "mcp";

    private final Gateway gateway;
    private final GatewayAdmission admission;
    private final PoolRegistry registry;
    private final McpSessions sessions;
    private final McpOriginPolicy originPolicy;
    private final long maxBodyBytes;

    McpRoutes(Gateway gateway, GatewayAdmission admission, PoolRegistry registry, McpSessions sessions,
              ServerConfig server) {
        this.gateway = gateway;
        this.admission = admission;
        this.registry = registry;
        this.sessions = sessions;
        this.originPolicy = new McpOriginPolicy(server);
        this.maxBodyBytes = new MemorySizeConverter().convert(server.maxBodySize()).asLongValue();
    }

    void register(@Observes Router router) {
        for (String path : List.of("/mcp", "/mcp/:pool")) {
            router.post(path).order(ORDER).handler(DataPlaneRoutes.bodyHandler(maxBodyBytes));
            router.route(path).order(ORDER + 1).handler(this::handle).failureHandler(McpRoutes::unexpected);
        }
    }

    private void handle(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (method != HttpMethod.POST && method != HttpMethod.GET && method != HttpMethod.DELETE) {
            context.response().putHeader("Allow", "GET, POST, DELETE");
            ErrorWriter.MCP.send(context.response(), 405, "method_not_allowed", "MCP takes POST, GET and DELETE");
            return;
        }
        Optional<McpOriginPolicy.Refusal> refusal = originPolicy.check(context.request().authority() == null ? null
                : context.request().authority().toString(), context.request().getHeader("Origin"));
        if (refusal.isPresent()) {
            ErrorWriter.MCP.send(context.response(), 403, refusal.get().code(), refusal.get().message());
            return;
        }
        Buffer body = method == HttpMethod.POST ? context.body().buffer() : null;
        admission.admit(context, ErrorWriter.MCP, caller -> {
            long timeLimit = GatewayAdmission.timeLimitMillis(context);
            if (timeLimit < 0) {
                admission.release(caller);
                ErrorWriter.MCP.send(context.response(), 400, "invalid_time_limit",
                        "X-Timelimit must be a positive number of seconds");
                return;
            }
            String poolName = context.pathParam("pool");
            Optional<Pool> pool = poolName == null ? defaultPool(caller.userId()) : namedPool(poolName, caller.userId());
            if (pool.isEmpty()) {
                admission.release(caller);
                ErrorWriter.MCP.send(context.response(), 404, "mcp_pool_not_found", poolName == null
                        ? "No MCP pool is available to you" : "No MCP pool named '" + poolName + "' is available to you");
                return;
            }
            String clientSession = context.request().getHeader(McpHeaders.SESSION);
            Backend pinned = null;
            String backendSession = null;
            if (clientSession != null) {
                Optional<McpSessions.Binding> binding = sessions.open(clientSession, caller.userId());
                pinned = binding.flatMap(b -> pool.get().backends().stream()
                        .filter(backend -> backend.id() == b.backendId()).findFirst()).orElse(null);
                if (pinned == null) {
                    admission.release(caller);
                    ErrorWriter.MCP.send(context.response(), 404, "session_not_found", binding.isEmpty()
                            ? "Unknown MCP session; initialize a new one"
                            : "The backend of this MCP session is gone; initialize a new session");
                    return;
                }
                backendSession = binding.get().backendSessionId();
            }
            new ProxyExchange(gateway, context, caller, pool.get(), pool.get().name(), method, "", body, false,
                    GatewayAdmission.REQUEST_HOLD_MICROS, timeLimit, ErrorWriter.MCP, false)
                    .hooks(new McpHeaders(sessions, caller.userId(), backendSession))
                    .pinnedTo(pinned)
                    .start();
        });
    }

    /** The caller's private MCP pool, else the global pool named {@value #DEFAULT_POOL}, else the first global one. */
    private Optional<Pool> defaultPool(long userId) {
        List<Pool> mcpPools = registry.visibleTo(userId).stream().filter(McpRoutes::servesMcp).toList();
        return mcpPools.stream().filter(p -> p.ownerUserId() != null).findFirst()
                .or(() -> mcpPools.stream().filter(p -> p.name().equals(DEFAULT_POOL)).findFirst())
                .or(() -> mcpPools.stream().min(Comparator.comparing(Pool::name)));
    }

    private Optional<Pool> namedPool(String name, long userId) {
        // A pool whose backends were all removed is still the MCP pool it was: its sessions are gone (404).
        return registry.route(name, userId).map(PoolRegistry.Route::pool)
                .filter(pool -> pool.backends().isEmpty() || servesMcp(pool));
    }

    static boolean servesMcp(Pool pool) {
        return pool.backends().stream().anyMatch(backend -> KIND.equals(backend.kind()));
    }

    private static void unexpected(RoutingContext context) {
        if (context.statusCode() == 413) {
            ErrorWriter.MCP.send(context.response(), 413, "request_too_large", "The request body is too large");
            return;
        }
        io.quarkus.logging.Log.error("MCP request failed", context.failure());
        ErrorWriter.MCP.send(context.response(), 500, "internal_error", "The gateway failed to handle this request");
    }
}
