package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.gateway.DataPlaneRoutes;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.gateway.proxy.ProxyExchange;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * The Responses API's calls on a stored response: {@code GET} and {@code DELETE /v1/responses/{id}},
 * {@code GET /v1/responses/{id}/input_items}, {@code POST /v1/responses/{id}/cancel}. The id is sealed to the backend
 * that stored the response ({@link ResponseIds}), so the call goes there and nowhere else; it is metered as one request.
 */
@ApplicationScoped
public class ResponseLookupRoutes {

    private static final int ORDER = DataPlaneRoutes.PATTERN_ORDER;

    private final Gateway gateway;
    private final GatewayAdmission admission;
    private final PoolRegistry registry;
    private final ResponseIds ids;

    ResponseLookupRoutes(Gateway gateway, GatewayAdmission admission, PoolRegistry registry, ResponseIds ids) {
        this.gateway = gateway;
        this.admission = admission;
        this.registry = registry;
        this.ids = ids;
    }

    void register(@Observes Router router) {
        router.get("/v1/responses/:id").order(ORDER).handler(context -> pass(context, ""))
                .failureHandler(ResponseLookupRoutes::unexpected);
        router.delete("/v1/responses/:id").order(ORDER).handler(context -> pass(context, ""))
                .failureHandler(ResponseLookupRoutes::unexpected);
        router.get("/v1/responses/:id/input_items").order(ORDER).handler(context -> pass(context, "/input_items"))
                .failureHandler(ResponseLookupRoutes::unexpected);
        router.post("/v1/responses/:id/cancel").order(ORDER).handler(DataPlaneRoutes.bodyHandler(64 * 1024));
        router.post("/v1/responses/:id/cancel").order(ORDER + 1).handler(context -> pass(context, "/cancel"))
                .failureHandler(ResponseLookupRoutes::unexpected);
    }

    /** A bug must still answer the client (and be logged), never leave the request hanging. */
    private static void unexpected(RoutingContext context) {
        if (context.statusCode() == 413) {
            ErrorWriter.OPENAI.send(context.response(), 413, "request_too_large", "The request body is too large");
            return;
        }
        io.quarkus.logging.Log.error("Responses request failed", context.failure());
        ErrorWriter.OPENAI.send(context.response(), 500, "internal_error", "The gateway failed to handle this request");
    }

    private void pass(RoutingContext context, String rest) {
        admission.admit(context, ErrorWriter.OPENAI, caller -> {
            String id = context.pathParam("id");
            Optional<ResponseIds.Binding> binding = ids.open(id, caller.userId());
            Optional<Backend> backend = binding.flatMap(b -> registry.backend(b.backendId()));
            Optional<Pool> pool = backend.flatMap(registry::poolOf)
                    .filter(p -> registry.visibleTo(caller.userId()).contains(p));
            if (pool.isEmpty()) {
                admission.release(caller);
                ErrorWriter.OPENAI.send(context.response(), 404, "response_not_found", binding.isEmpty()
                        ? "Response with id '" + id + "' not found."
                        : "The backend that stored response '" + id + "' is gone");
                return;
            }
            String query = context.request().query();
            String suffix = "/responses/" + binding.get().backendResponseId() + rest
                    + (query == null || query.isEmpty() ? "" : "?" + query);
            HttpMethod method = context.request().method();
            var body = method == HttpMethod.POST ? context.body().buffer() : null;
            boolean stream = query != null && query.contains("stream=true");
            new ProxyExchange(gateway, context, caller, pool.get(), null, method, suffix, body, stream,
                    GatewayAdmission.REQUEST_HOLD_MICROS, 0, ErrorWriter.OPENAI, false)
                    .hooks(new ResponseIdHooks(ids, caller.userId(), false, binding.get().backendResponseId(), id))
                    .pinnedTo(backend.get())
                    .start();
        });
    }
}
