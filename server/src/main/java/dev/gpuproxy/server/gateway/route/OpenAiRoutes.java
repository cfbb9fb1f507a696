package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.lb.Backend;
import dev.gpuproxy.lb.Pool;
import dev.gpuproxy.server.config.ServerConfig;
import dev.gpuproxy.server.identity.auth.service.CredentialVerifier;
import dev.gpuproxy.server.lb.service.PoolRegistry;
import dev.gpuproxy.server.gateway.DataPlaneRoutes;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.JsonBodies;
import dev.gpuproxy.server.gateway.OpenAiErrors;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.admission.GatewayAuthenticator;
import dev.gpuproxy.server.gateway.metering.MaxTokens;
import dev.gpuproxy.server.gateway.metering.TokenPricing;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.gateway.proxy.ProxyExchange;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The OpenAI-compatible and Anthropic routes: {@code /v1/chat/completions}, {@code /v1/completions},
 * {@code /v1/embeddings}, {@code /v1/responses}, {@code /v1/images/generations} (metered per request),
 * {@code /v1/models}, {@code /v1/messages} (+ {@code /count_tokens}, not metered). Plain Vert.x routes, so the hot path
 * is: authenticate (memory), rate limit, credit check (memory), route, pick, forward.
 */
@ApplicationScoped
public class OpenAiRoutes {

    private static final int ORDER = DataPlaneRoutes.ORDER;
    static final String RESPONSES = "/v1/responses";
    /** Metered per request: an image answer reports no tokens the price list knows. */
    static final String IMAGES = "/v1/images/generations";

    private final Gateway gateway;
    private final GatewayAdmission admission;
    private final GatewayAuthenticator authenticator;
    private final PoolRegistry registry;
    private final long maxBodyBytes;
    private final ResponseIds responseIds;

    OpenAiRoutes(Gateway gateway, GatewayAdmission admission, GatewayAuthenticator authenticator,
                 PoolRegistry registry, ServerConfig server, ResponseIds responseIds) {
        this.responseIds = responseIds;
        this.gateway = gateway;
        this.admission = admission;
        this.authenticator = authenticator;
        this.registry = registry;
        this.maxBodyBytes = new MemorySizeConverter().convert(server.maxBodySize()).asLongValue();
    }

    void register(@Observes Router router) {
        for (String path : new String[] {"/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/messages",
                "/v1/messages/count_tokens", RESPONSES, IMAGES}) {
            String suffix = path.substring("/v1".length());
            boolean metered = !path.endsWith("/count_tokens");
            // Anthropic's SDKs read Anthropic's error shape; OpenAI's read OpenAI's.
            ErrorWriter errors = path.startsWith("/v1/messages") ? ErrorWriter.ANTHROPIC : ErrorWriter.OPENAI;
            router.post(path).order(ORDER).handler(DataPlaneRoutes.bodyHandler(maxBodyBytes));
            router.post(path).order(ORDER + 1).handler(context -> admission.authorize(context, errors,
                            caller -> forward(context, caller, suffix, metered, errors)))
                    .failureHandler(context -> unexpected(context, errors));
        }
        router.get("/v1/models").order(ORDER).handler(this::models)
                .failureHandler(context -> unexpected(context, ErrorWriter.OPENAI));
    }

    private void forward(RoutingContext context, GatewayCaller caller, String suffix, boolean metered,
                         ErrorWriter errors) {
        Buffer raw = context.body().buffer();
        GenerationRequest request;
        try {
            request = GenerationRequest.read(raw);
        } catch (JsonBodies.NotAnObject e) {
            errors.send(context.response(), 400, "invalid_request", e.getMessage());
            return;
        }
        String model = request == null ? null : request.model();
        if (model == null || model.isBlank()) {
            errors.send(context.response(), 400, "invalid_request", "The request needs a \"model\"");
            return;
        }
        boolean responses = suffix.equals("/responses");
        // The Responses API names its output limit max_output_tokens.
        String maxTokensParam = responses ? "max_output_tokens" : "max_tokens";
        Long maxTokens;
        try {
            maxTokens = max(request.tokenLimit(maxTokensParam), request.tokenLimit("max_completion_tokens"));
        } catch (MaxTokens.Invalid invalid) {
            if (errors == ErrorWriter.OPENAI) {
                OpenAiErrors.invalidParameter(context.response(), invalid.param, invalid.code, invalid.getMessage());
            } else {
                errors.send(context.response(), 400, invalid.code, invalid.getMessage());
            }
            return;
        }
        var route = registry.route(model, caller.userId());
        if (route.isEmpty()) {
            errors.modelNotFound(context.response(), model);
            return;
        }
        Pool pool = route.get().pool();
        String upstreamModel = route.get().upstreamModel();
        // A Responses call that continues an earlier one must reach the backend that stored it.
        Backend holder = null;
        String previousId = null;
        String clientPrevious = null;
        String sealed = responses ? request.previousResponseId() : null;
        if (sealed != null) {
            var binding = responseIds.open(sealed, caller.userId());
            holder = binding.flatMap(b -> pool.backends().stream().filter(backend -> backend.id() == b.backendId())
                    .findFirst()).orElse(null);
            if (holder == null) {
                OpenAiErrors.invalidParameter(context.response(), "previous_response_id", "previous_response_not_found",
                        "Previous response with id '" + sealed + "' not found.");
                return;
            }
            previousId = binding.get().backendResponseId();
            clientPrevious = sealed;
        }
        String clientPreviousId = clientPrevious;
        Backend pinned = holder;
        String backendPreviousId = previousId;
        boolean stream = request.stream();
        long timeLimitMillis = GatewayAdmission.timeLimitMillis(context);
        if (timeLimitMillis < 0) {
            errors.send(context.response(), 400, "invalid_request", "X-Timelimit must be a positive number of seconds");
            return;
        }
        TokenPricing pricing = gateway.pricing;
        long promptTokens = pricing.promptTokens(raw.length());
        long promptCost = pricing.cost(promptTokens, 0);
        boolean generates = metered && !suffix.equals("/embeddings");
        // Without max_tokens, the request gets the most output the caller's credits pay for (at most
        // DEFAULT_MAX_TOKENS), written into the body, so no answer can cost more than was held for it.
        boolean capOutput = generates && maxTokens == null;
        long minHold = !metered ? 0 : generates ? pricing.cost(promptTokens, capOutput ? 1 : maxTokens) : promptCost;
        long maxHold = capOutput ? pricing.cost(promptTokens, pricing.defaultMaxTokens()) : minHold;
        if (suffix.equals(IMAGES.substring(3))) {
            admission.hold(context, errors, caller, GatewayAdmission.REQUEST_HOLD_MICROS, held -> {
                Buffer body = upstreamModel.equals(model) ? raw : request.editable().put("model", upstreamModel).toBuffer();
                new ProxyExchange(gateway, context, caller, pool, upstreamModel, HttpMethod.POST, suffix, body, false,
                        GatewayAdmission.REQUEST_HOLD_MICROS, timeLimitMillis, errors, false).start();
            });
            return;
        }
        admission.hold(context, errors, caller, minHold, maxHold, held -> {
            JsonObject changed = null;
            if (!upstreamModel.equals(model)) {
                changed = request.editable().put("model", upstreamModel);
            }
            if (capOutput) {
                long affordable = pricing.outputTokensFor(held - promptCost, pricing.defaultMaxTokens());
                changed = (changed == null ? request.editable() : changed).put(maxTokensParam, Math.max(1, affordable));
            }
            if (backendPreviousId != null) {
                changed = (changed == null ? request.editable() : changed).put("previous_response_id", backendPreviousId);
            }
            // Only when something was changed is the body re-serialised; otherwise its bytes go as they came.
            Buffer body = changed == null ? raw : changed.toBuffer();
            // The hold counts the whole body; a charge without the backend's count counts only the prompt's text.
            ProxyExchange exchange = new ProxyExchange(gateway, context, caller, pool, upstreamModel, suffix, body,
                    stream, held, Math.min(promptTokens, request.promptTextTokens()), timeLimitMillis, errors);
            if (responses) {
                exchange.hooks(new ResponseIdHooks(responseIds, caller.userId(), pinned == null,
                        backendPreviousId, clientPreviousId)).pinnedTo(pinned);
            }
            // Counting tokens is not an inference: it is neither charged nor counted as a request.
            (metered ? exchange : exchange.unmetered()).start();
        });
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
    }

    private void models(RoutingContext context) {
        authenticator.authenticate(context)
                .onFailure(error -> OpenAiErrors.unauthorized(context.response(), error instanceof
                        CredentialVerifier.Refused ? error.getMessage() : "Authentication failed"))
                .onSuccess(caller -> {
                    Set<String> ids = new LinkedHashSet<>();
                    for (Pool pool : registry.visibleTo(caller.userId())) {
                        ids.add(pool.name());
                        ids.addAll(pool.aliases());
                    }
                    JsonArray data = new JsonArray();
                    for (String id : ids) {
                        data.add(new JsonObject().put("id", id).put("object", "model").put("created", 0)
                                .put("owned_by", "gpuproxy"));
                    }
                    context.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("object", "list").put("data", data).encode());
                });
    }

    /** A bug must still answer the client (and be logged), never leave the request hanging. */
    private static void unexpected(RoutingContext context, ErrorWriter errors) {
        if (context.statusCode() == 413) {
            errors.send(context.response(), 413, "request_too_large", "The request body is too large");
            return;
        }
        io.quarkus.logging.Log.error("Gateway request failed", context.failure());
        errors.send(context.response(), 500, "internal_error", "The gateway failed to handle this request");
    }
}
