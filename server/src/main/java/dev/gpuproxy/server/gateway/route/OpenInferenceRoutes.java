package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.config.ServerConfig;
import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.gateway.DataPlaneRoutes;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.admission.GatewayAuthenticator;
import dev.gpuproxy.server.gateway.grpc.OpenInferenceGrpcService;
import dev.gpuproxy.server.gateway.proxy.ExchangeHooks;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.gateway.proxy.GrpcBackendChannels;
import dev.gpuproxy.server.gateway.proxy.ProxyExchange;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Open Inference Protocol v2 (KServe, Triton): {@code /v2/health/live|ready}, {@code /v2},
 * {@code /v2/models/{m}[/versions/{v}]}, {@code .../ready} and {@code .../infer}, routed by model name to pools of
 * {@code openinference} backends through the same exchange as the OpenAI routes. Metered per request (no tokens).
 */
@ApplicationScoped
public class OpenInferenceRoutes {

    private static final int ORDER = DataPlaneRoutes.ORDER;
    private static final int PATTERN_ORDER = DataPlaneRoutes.PATTERN_ORDER;
    private static final String MODEL_PATH = "^/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?$";
    public static final String KIND = "openinference";

    private final Gateway gateway;
    private final GatewayAdmission admission;
    private final GatewayAuthenticator authenticator;
    private final PoolRegistry registry;
    private final long maxBodyBytes;

    OpenInferenceRoutes(Gateway gateway, GatewayAdmission admission, GatewayAuthenticator authenticator,
                        PoolRegistry registry, ServerConfig server) {
        this.gateway = gateway;
        this.admission = admission;
        this.authenticator = authenticator;
        this.registry = registry;
        this.maxBodyBytes = new MemorySizeConverter().convert(server.maxBodySize()).asLongValue();
    }

    void register(@Observes Router router) {
        router.get("/v2/health/live").order(ORDER).handler(context -> local(context, false))
                .failureHandler(OpenInferenceRoutes::unexpected);
        router.get("/v2/health/ready").order(ORDER).handler(context -> local(context, true))
                .failureHandler(OpenInferenceRoutes::unexpected);
        router.get("/v2").order(ORDER).handler(this::serverMetadata).failureHandler(OpenInferenceRoutes::unexpected);
        router.getWithRegex(MODEL_PATH).order(PATTERN_ORDER).handler(this::model).failureHandler(OpenInferenceRoutes::unexpected);
        router.postWithRegex(MODEL_PATH).order(PATTERN_ORDER).handler(DataPlaneRoutes.bodyHandler(maxBodyBytes));
        router.postWithRegex(MODEL_PATH).order(PATTERN_ORDER + 1).handler(this::model)
                .failureHandler(OpenInferenceRoutes::unexpected);
    }

    /** Liveness is the gateway's own; readiness means some Open Inference backend is there for the caller. */
    private void local(RoutingContext context, boolean readiness) {
        authenticator.authenticate(context)
                .onFailure(error -> ErrorWriter.OPEN_INFERENCE.unauthorized(context.response(), error instanceof
                        CredentialVerifier.Refused ? error.getMessage() : "Authentication failed"))
                .onSuccess(caller -> {
                    boolean ready = !readiness || registry.visibleTo(caller.userId()).stream()
                            .anyMatch(OpenInferenceRoutes::servesOpenInference);
                    context.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put(readiness ? "ready" : "live", ready).encode());
                });
    }

    private void serverMetadata(RoutingContext context) {
        authenticator.authenticate(context)
                .onFailure(error -> ErrorWriter.OPEN_INFERENCE.unauthorized(context.response(), error instanceof
                        CredentialVerifier.Refused ? error.getMessage() : "Authentication failed"))
                .onSuccess(caller -> context.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("name", "gpuproxy").put("version", "2")
                                .put("extensions", new JsonArray()).encode()));
    }

    private void model(RoutingContext context) {
        String model = URLDecoder.decode(context.pathParam("param0"), StandardCharsets.UTF_8);
        String version = context.pathParam("param1");
        String action = context.pathParam("param2");
        HttpMethod method = context.request().method();
        boolean infer = "/infer".equals(action);
        if (infer != (method == HttpMethod.POST)) {
            ErrorWriter.OPEN_INFERENCE.send(context.response(), 405, "method_not_allowed",
                    infer ? "infer takes POST" : "Only infer takes POST");
            return;
        }
        Buffer body = infer ? context.body().buffer() : null;
        admission.admit(context, ErrorWriter.OPEN_INFERENCE, caller -> {
            if (infer) {
                Optional<String> problem = OpenInferenceValidator.problem(body,
                        context.request().getHeader(OpenInferenceValidator.HEADER_LENGTH));
                if (problem.isPresent()) {
                    admission.release(caller);
                    ErrorWriter.OPEN_INFERENCE.send(context.response(), 400, "invalid_request", problem.get());
                    return;
                }
            }
            long timeLimit = GatewayAdmission.timeLimitMillis(context);
            var route = registry.route(model, caller.userId());
            if (timeLimit < 0 || route.isEmpty() || !servesOpenInference(route.get().pool())) {
                admission.release(caller);
                if (timeLimit < 0) {
                    ErrorWriter.OPEN_INFERENCE.send(context.response(), 400, "invalid_request",
                            "X-Timelimit must be a positive number of seconds");
                } else {
                    ErrorWriter.OPEN_INFERENCE.modelNotFound(context.response(), model);
                }
                return;
            }
            String upstreamModel = route.get().upstreamModel();
            String path = "/v2/models/" + URLEncoder.encode(upstreamModel, StandardCharsets.UTF_8).replace("+", "%20")
                    + (version == null ? "" : "/versions/" + version) + (action == null ? "" : action);
            // The exchange takes the hold over and meters the request (no tokens) when it ends.
            new ProxyExchange(gateway, context, caller, route.get().pool(), upstreamModel, method, path, body, false,
                    GatewayAdmission.REQUEST_HOLD_MICROS, timeLimit, ErrorWriter.OPEN_INFERENCE, false)
                    .hooks(BINARY_TENSORS).start();
        });
    }

    /**
     * The binary tensor extension: a body whose JSON header is followed by raw tensors travels with its
     * {@code Inference-Header-Content-Length} and its own Content-Type (the exchange would otherwise call it JSON).
     * The answer's headers, this one included, come back as the backend sent them.
     */
    static final ExchangeHooks BINARY_TENSORS = new ExchangeHooks() {
        @Override
        public void forwardRequestHeaders(HttpServerRequest client, Backend backend, MultiMap upstream) {
            String headerLength = client.getHeader(OpenInferenceValidator.HEADER_LENGTH);
            if (headerLength != null) {
                upstream.set(OpenInferenceValidator.HEADER_LENGTH, headerLength.trim());
                String type = client.getHeader("Content-Type");
                upstream.set("Content-Type", type != null ? type : "application/octet-stream");
            }
        }
    };

    /** An HTTP Open Inference backend is there; {@code grpc://} ones serve {@link OpenInferenceGrpcService} only. */
    static boolean servesOpenInference(Pool pool) {
        return pool.backends().stream().anyMatch(backend -> KIND.equals(backend.kind())
                && !GrpcBackendChannels.isGrpc(backend.url()));
    }

    private static void unexpected(RoutingContext context) {
        io.quarkus.logging.Log.error("Open Inference request failed", context.failure());
        if (context.statusCode() == 413) {
            ErrorWriter.OPEN_INFERENCE.send(context.response(), 413, "request_too_large",
                    "The request body is too large");
            return;
        }
        ErrorWriter.OPEN_INFERENCE.send(context.response(), 500, "internal_error",
                "The gateway failed to handle this request");
    }
}
