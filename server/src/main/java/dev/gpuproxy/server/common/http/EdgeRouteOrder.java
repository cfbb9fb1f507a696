package dev.gpuproxy.server.common.http;

/**
 * Where gpuproxy's edge handlers sit in Quarkus' main router, whose routes run in ascending order until one answers.
 * They are plain Vert.x routes registered from {@code @Observes Router}, not {@code @RouteFilter}s: a route filter
 * activates and terminates a CDI request context and looks up the security identity on every request, which the
 * data plane paid five times per request for checks that need none of it. Quarkus' CORS filter runs at -300, the
 * data plane's routes at -250 (gateway's {@code DataPlaneRoutes}), its HTTP security handler at -200, the REST layer
 * after it.
 */
public final class EdgeRouteOrder {

    /** The timer of requests outside the data plane ({@code HttpRequestTimer}), first, so refused requests count too. */
    public static final int REQUEST_TIMER = -3100;
    /** The debug request log, before the checks, so refused requests are logged as well. */
    public static final int REQUEST_LOG = -3000;
    /** The refusal of a card number in {@code X-Preferred-Payment}, before anything else reads headers. */
    public static final int RAW_CARD_NUMBER = -2000;
    /** The declared body size limit, before any body is read. */
    public static final int BODY_SIZE_LIMIT = -1000;
    /** The JSON relabelling of form-typed REST bodies ({@code /api/} only), after the size limit. */
    public static final int FORM_TYPED_JSON = -900;
    /** The admin page's security headers ({@code /admin/} only). */
    public static final int ADMIN_PAGE_HEADERS = -500;

    private EdgeRouteOrder() {
    }
}
