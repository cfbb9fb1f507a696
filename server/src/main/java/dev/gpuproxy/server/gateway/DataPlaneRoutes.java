package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.common.http.EdgeRouteOrder;
import dev.gpuproxy.server.gateway.admission.GatewayAuthenticator;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Where the data plane's routes ({@code /v1}, {@code /v2}, {@code /mcp}) sit in Quarkus' main router, whose routes run
 * in order until one answers. Every request passes gpuproxy's own edge handlers first ({@link EdgeRouteOrder}: the
 * debug request log, the card-number refusal, the body size limit, cheap header checks) and Quarkus' CORS filter (-300),
 * so those hold for the gateway as for the REST API. The gateway's routes then answer before Quarkus' HTTP security
 * handler (-200, which sets up an identity association per request) and the REST layer's observability handler
 * (-199, which matches the path against every REST resource): the gateway authenticates API keys itself
 * ({@link GatewayAuthenticator}) and is not a REST resource, so it would pay for both on every request for nothing.
 * The envelope and instance pass-through under {@code /api} and {@code /proxy} stay behind the REST API's filters.
 *
 * <p>The beans these routes call on every request (authentication, rate limit, quota, credit hold, pool lookup,
 * pricing, metering) are {@code @Singleton}s, not {@code @ApplicationScoped}: a call through an application-scoped
 * bean's client proxy looks the instance up in the application context each time, which was 3% of the gateway's CPU
 * under load. {@code HotPathBeansTest} keeps them so.
 *
 * <p>The inference roots ({@code /v1/}, {@code /v2}, {@code /mcp}), metered per backend and pool, are named again in
 * {@code HttpRequestTimer.isDataPlane}, which leaves them out of the request timer (it runs before routing, so it
 * cannot ask which route will answer); a new root of that kind belongs there too. The instance pass-through and the
 * envelope are timed like the REST API, under their routes' templates.
 */
public final class DataPlaneRoutes {

    /** A route's body handler; its handler takes {@code ORDER + 1}. */
    public static final int ORDER = -250;

    /**
     * Routes whose path has a parameter or is a regular expression ({@code /v1/responses/:id}, {@code /v2/models/...}):
     * the router matches such a path with a new regex matcher for every request it passes, so they come after the
     * exact paths, which the chat, completion and embedding requests then reach without one.
     */
    public static final int PATTERN_ORDER = ORDER + 10;

    private DataPlaneRoutes() {
    }

    /**
     * The body handler of a data-plane route: reads the request body whole, up to {@code limit} bytes, into a buffer
     * sized by its Content-Length (Vert.x allocates at most 64 KB ahead) rather than 1 KB grown by doubling. A small
     * request then no longer allocates a kilobyte it does not use, and a prompt of 16 KB took 59 KB of buffers on its
     * way to a 32 KB one. Without a Content-Length (chunked) the buffer starts at 1 KB and grows as before.
     */
    public static BodyHandler bodyHandler(long limit) {
        return BodyHandler.create(false).setBodyLimit(limit).setPreallocateBodyBuffer(true);
    }
}
