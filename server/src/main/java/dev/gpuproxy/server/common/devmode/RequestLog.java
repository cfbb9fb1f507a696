package dev.gpuproxy.server.common.devmode;

import dev.gpuproxy.server.common.http.EdgeRouteOrder;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Debug mode (DEBUG_MODE, gpuproxyd -dm): one line when a request arrives and one when its response is finished, for
 * every path (REST API, gateway, admin page), with masked headers and the time taken. {@link BodyLog} adds the JSON
 * bodies of the REST API under the same request number. Off, it only passes the request on.
 */
@ApplicationScoped
public class RequestLog {

    /** The request's number in debug lines, kept on the routing context for {@link BodyLog}. */
    static final String REQUEST_NUMBER = "gpuproxy.debug.request";

    private final DeveloperMode mode;
    private final AtomicLong numbers = new AtomicLong();

    RequestLog(DeveloperMode mode) {
        this.mode = mode;
    }

    void register(@Observes Router router) {
        router.route().order(EdgeRouteOrder.REQUEST_LOG).handler(this::log);
    }

    void log(RoutingContext context) {
        if (!mode.debug()) {
            context.next();
            return;
        }
        long number = numbers.incrementAndGet();
        long started = System.nanoTime();
        context.put(REQUEST_NUMBER, number);
        HttpServerRequest request = context.request();
        String method = request.method().name();
        String target = SecretMasker.uri(request.uri());
        Log.infof("--> #%d %s %s from %s headers=%s", number, method, target, request.remoteAddress(),
                SecretMasker.headers(request.headers()));
        context.addEndHandler(done -> {
            double millis = (System.nanoTime() - started) / 1_000_000.0;
            Log.infof("<-- #%d %d %s %s %s ms headers=%s%s", number, context.response().getStatusCode(), method, target,
                    String.format(Locale.ROOT, "%.1f", millis), SecretMasker.headers(context.response().headers()),
                    done.succeeded() ? "" : " (connection ended: " + done.cause().getClass().getSimpleName() + ")");
        });
        context.next();
    }
}
