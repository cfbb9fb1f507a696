package dev.gpuproxy.server.admin.rest;

import dev.gpuproxy.server.common.http.EdgeRouteOrder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web admin page ({@code /admin}, static files from the web-admin module): {@code /admin} redirects to
 * {@code /admin/}, and every page answer carries a strict Content-Security-Policy (only this origin's scripts, styles
 * and API, no framing) and is revalidated on each load, so an upgraded server never runs a stale page. The files
 * themselves need no credentials; the page's API calls carry the operator's token.
 */
@ApplicationScoped
public class AdminPageRoutes {

    static final String PREFIX = "/admin/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    void register(@Observes Router router) {
        // Vert.x matches "/admin/" against "/admin" as well: only the bare path is redirected.
        router.route(HttpMethod.GET, "/admin").order(-1).handler(context -> {
            if (context.request().path().equals("/admin")) {
                String query = context.request().query();
                context.response().setStatusCode(302)
                        .putHeader(HttpHeaders.LOCATION, PREFIX + (query == null ? "" : "?" + query))
                        .end();
            } else {
                context.next();
            }
        });
        // Only the page's own paths: the data plane and the REST API never pay for this check.
        router.route(PREFIX + "*").order(EdgeRouteOrder.ADMIN_PAGE_HEADERS).handler(this::pageHeaders);
    }

    void pageHeaders(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith(PREFIX)) {
            context.addHeadersEndHandler(ignored -> context.response().headers()
                    .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .set("X-Content-Type-Options", "nosniff")
                    .set("X-Frame-Options", "DENY")
                    .set("Referrer-Policy", "no-referrer")
                    .set(HttpHeaders.CACHE_CONTROL, "no-cache"));
        }
        context.next();
    }
}
