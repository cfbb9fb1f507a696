package dev.gpuproxy.server.common.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Times every HTTP request outside the data plane into {@code http_server_requests_seconds} with the tags Micrometer's
 * HTTP server binder gave it ({@code method}, {@code uri}, {@code status}, {@code outcome}), from a route instead of
 * Vert.x's metrics hooks. The binder hooks the HTTP server itself, so every request paid for it, the data plane's
 * too, which it then dropped by path: a request metric and a timer sample per request, a route record per matched
 * route, three ignore-pattern regexes and a byte count per socket read and write. Turning it off took about 5% of
 * gpuproxyd's CPU per proxied request (BENCHMARKS.md). The data plane ({@code /v1}, {@code /v2}, {@code /mcp} and gRPC
 * on the same port) counts its traffic per backend and pool instead ({@code gpuproxy_backend_*}), and a WebSocket
 * upgrade is a connection, not a request to time.
 *
 * <p>The {@code uri} tag is the REST resource's path template ({@code /api/v1/admin/users/{id}}), which Quarkus'
 * REST layer leaves in the request's context for observability, or the path of the Vert.x route that answered when it
 * has parameters ({@code /proxy/:instanceId/*} is {@code /proxy/{instanceId}}), or a label that cannot grow with the
 * paths clients make up: {@code NOT_FOUND}, {@code REDIRECTION}, {@code UNKNOWN} for other errors without a template.
 */
@ApplicationScoped
public class HttpRequestTimer {

    static final String METRIC = "http.server.requests";
    /** Where Quarkus' REST layer puts the matched path template (its {@code ObservabilityUtil}). */
    static final String TEMPLATE_KEY = "UrlPathTemplate";
    private static final Pattern ROUTE_PARAMETER = Pattern.compile(":(\\w+)");

    /** The template of each parameterised Vert.x route's path, worked out once (there are a handful of routes). */
    private final Map<String, String> routeTemplates = new ConcurrentHashMap<>();

    private final MeterRegistry registry;

    HttpRequestTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    void register(@Observes Router router) {
        router.route().order(EdgeRouteOrder.REQUEST_TIMER).handler(this::time);
    }

    void time(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (isTimed(request)) {
            long start = System.nanoTime();
            context.addEndHandler(ended -> record(context, ended.succeeded(), System.nanoTime() - start));
        }
        context.next();
    }

    private static boolean isTimed(HttpServerRequest request) {
        if (isDataPlane(request.path())) {
            return false;
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return (type == null || !type.startsWith("application/grpc"))
                && !HttpHeaders.WEBSOCKET.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE));
    }

    static boolean isDataPlane(String path) {
        return path != null && (path.startsWith("/v1/") || isUnder(path, "/v2") || isUnder(path, "/mcp"));
    }

    private static boolean isUnder(String path, String root) {
        return path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/');
    }

    private void record(RoutingContext context, boolean answered, long nanos) {
        HttpServerRequest request = context.request();
        int status = context.response().getStatusCode();
        String template = ((HttpServerRequestInternal) request).context().getLocal(TEMPLATE_KEY);
        if (template == null) {
            template = routeTemplate(context.currentRoute());
        }
        Timer.builder(METRIC)
                .description("HTTP server request processing time")
                .tag("method", request.method().name())
                .tag("uri", uri(request.path(), template, status))
                .tag("status", answered ? Integer.toString(status) : "RESET")
                .tag("outcome", answered ? Outcome.forStatus(status).name() : "CLIENT_ERROR")
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The template of a Vert.x route with path parameters, or null: a route without them either has the request's own
     * path or is a catch-all, and its path says nothing the request's does not.
     */
    private String routeTemplate(Route route) {
        String path = route == null ? null : route.getPath();
        if (path == null || path.indexOf(':') < 0) {
            return null;
        }
        return routeTemplates.computeIfAbsent(path, HttpRequestTimer::templateOf);
    }

    /** {@code /proxy/:instanceId/} as a URI template: {@code /proxy/{instanceId}/}. */
    static String templateOf(String routePath) {
        return ROUTE_PARAMETER.matcher(routePath).replaceAll("{$1}");
    }

    /** The {@code uri} tag: the template when there is one, else the path only for answers that found something. */
    static String uri(String path, String template, int status) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "root";
        }
        if (template != null && !template.isEmpty()) {
            return template.length() > 1 && template.endsWith("/") ? template.substring(0, template.length() - 1) : template;
        }
        if (status / 100 == 3) {
            return "REDIRECTION";
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        // Without a template an error's path is whatever the client sent: labelling by it would let clients create
        // series without end. Answered paths without a template are the admin page's files and health checks.
        return status >= 400 ? "UNKNOWN" : path;
    }
}
