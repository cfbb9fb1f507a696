package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.server.identity.auth.service.JwtService;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.proxy.ForwardedHeaders;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.gateway.proxy.ProxyRelay;
import dev.gpuproxy.server.gateway.proxy.ProxyTargetGuard;
import dev.gpuproxy.server.gateway.proxy.ProxyTargets;
import dev.gpuproxy.server.gateway.proxy.WebSocketRelay;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * {@code /proxy/{instanceId}/**}: a transparent reverse proxy to the HTTP endpoint of one of the caller's running
 * instances, any method, bodies streamed both ways, WebSocket upgrades relayed frame by frame ({@link WebSocketRelay}).
 * Another tenant's instance does not exist (404).
 */
@ApplicationScoped
public class InstancePassThroughRoute {

    private static final int ORDER = -100;

    private final Gateway gateway;
    private final GatewayAdmission admission;
    private final ProxyTargetGuard guard;
    private final ProxyTargets targets;
    private final WebSocketRelay webSockets;
    private final ForwardedHeaders headers;

    InstancePassThroughRoute(Gateway gateway, GatewayAdmission admission, ProxyTargetGuard guard, ProxyTargets targets,
                             JwtService jwt) {
        this.headers = new ForwardedHeaders(jwt::signedHere);
        this.gateway = gateway;
        this.admission = admission;
        this.guard = guard;
        this.targets = targets;
        this.webSockets = new WebSocketRelay(gateway, admission, guard);
    }

    void register(@Observes Router router) {
        router.route("/proxy/:instanceId").order(ORDER).handler(this::pass)
                .failureHandler(ProxyEnvelopeRoute::unexpected);
        router.route("/proxy/:instanceId/*").order(ORDER).handler(this::pass)
                .failureHandler(ProxyEnvelopeRoute::unexpected);
    }

    private void pass(RoutingContext context) {
        HttpServerRequest request = context.request();
        // The body waits in the socket until the target is known, then streams straight to it.
        request.pause();
        context.addEndHandler(v -> {
            if (!request.isEnded()) {
                request.resume(); // a refused request's body is drained, not left in the socket
            }
        });
        String idText = context.pathParam("instanceId");
        admission.admit(context, ErrorWriter.PROBLEM, caller -> {
            long instanceId;
            try {
                instanceId = Long.parseLong(idText);
            } catch (NumberFormatException e) {
                notFound(context, caller, idText);
                return;
            }
            gateway.vertx.executeBlocking(() -> targets.instanceBase(caller.userId(), instanceId), false)
                    .onComplete(found -> {
                        Optional<URI> base = found.succeeded() ? found.result() : Optional.empty();
                        if (base.isEmpty()) {
                            notFound(context, caller, idText);
                            return;
                        }
                        long timeLimit = GatewayAdmission.timeLimitMillis(context);
                        if (timeLimit < 0) {
                            admission.release(caller);
                            ErrorWriter.PROBLEM.send(context.response(), 400, "invalid_time_limit",
                                    "X-Timelimit must be a positive number of seconds");
                            return;
                        }
                        String prefix = "/proxy/" + idText;
                        String rest = request.uri().substring(Math.min(prefix.length(), request.uri().length()));
                        if (!rest.isEmpty() && !rest.startsWith("/") && !rest.startsWith("?")) {
                            notFound(context, caller, idText);
                            return;
                        }
                        URI target;
                        try {
                            target = new URI(base.get() + (rest.startsWith("?") ? "/" + rest : rest));
                        } catch (URISyntaxException e) {
                            admission.release(caller);
                            ErrorWriter.PROBLEM.send(context.response(), 400, "invalid_path", "The path is not a"
                                    + " valid URL path (" + e.getReason() + "); percent-encode characters such as |");
                            return;
                        }
                        if (WebSocketRelay.isUpgrade(request)) {
                            webSockets.relay(context, caller, target, headers.toInstance(request));
                            return;
                        }
                        new ProxyRelay(gateway, admission, guard, context, caller, ErrorWriter.PROBLEM)
                                .send(target, request.method(), headers.toInstance(request), null, true, true,
                                        timeLimit);
                    });
        });
    }

    private void notFound(RoutingContext context, GatewayCaller caller, String id) {
        admission.release(caller);
        ErrorWriter.PROBLEM.send(context.response(), 404, "instance_not_found",
                "No running instance " + id + " of yours");
    }
}
