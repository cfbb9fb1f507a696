package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.server.config.ServerConfig;
import dev.gpuproxy.server.identity.auth.security.CredentialAuthMechanism;
import dev.gpuproxy.server.identity.auth.service.JwtService;
import dev.gpuproxy.server.gateway.DataPlaneRoutes;
import dev.gpuproxy.server.gateway.ErrorWriter;
import dev.gpuproxy.server.gateway.GatewayCaller;
import dev.gpuproxy.server.gateway.JsonBodies;
import dev.gpuproxy.server.gateway.admission.GatewayAdmission;
import dev.gpuproxy.server.gateway.proxy.ForwardedHeaders;
import dev.gpuproxy.server.gateway.proxy.Gateway;
import dev.gpuproxy.server.gateway.proxy.ProxyRelay;
import dev.gpuproxy.server.gateway.proxy.ProxyTargetGuard;
import dev.gpuproxy.server.gateway.proxy.ProxyTargets;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The envelope {@code POST /api/v1/gpu/proxy}
 * {@code {protocol: http|https|mcp|openinference, target_url | instance_id, method, headers, body, timeout,
 * stream_response}}: one HTTP call to one of the caller's running instances or a registered backend, answered with
 * the target's own status, headers and body. Errors are problem+json.
 */
@ApplicationScoped
public class ProxyEnvelopeRoute {

    static final String PATH = "/api/v1/gpu/proxy";
    private static final int ORDER = -100;
    private static final Set<String> PROTOCOLS = Set.of("http", "https", "mcp", "openinference");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** A refusal of the envelope itself, before any call. */
    private record Invalid(int status, String code, String message) {}

    private final Gateway gateway;
    private final GatewayAdmission admission;
    private final ProxyTargetGuard guard;
    private final ProxyTargets targets;
    private final long maxBodyBytes;
    private final ForwardedHeaders forwarded;

    ProxyEnvelopeRoute(Gateway gateway, GatewayAdmission admission, ProxyTargetGuard guard, ProxyTargets targets,
                       ServerConfig server, JwtService jwt) {
        this.gateway = gateway;
        this.admission = admission;
        this.guard = guard;
        this.targets = targets;
        this.maxBodyBytes = new MemorySizeConverter().convert(server.maxBodySize()).asLongValue();
        this.forwarded = new ForwardedHeaders(jwt::signedHere);
    }

    void register(@Observes Router router) {
        router.post(PATH).order(ORDER).handler(DataPlaneRoutes.bodyHandler(maxBodyBytes));
        router.post(PATH).order(ORDER + 1).handler(context -> admission.admit(context, ErrorWriter.PROBLEM,
                caller -> envelope(context, caller))).failureHandler(ProxyEnvelopeRoute::unexpected);
    }

    private void envelope(RoutingContext context, GatewayCaller caller) {
        try {
            parsed(context, caller);
        } catch (ClassCastException wrongType) {
            refuse(context, caller, new Invalid(400, "invalid_envelope", "A field of the envelope has the wrong type:"
                    + " protocol, method and target_url are strings, stream_response a boolean"));
        }
    }

    private void parsed(RoutingContext context, GatewayCaller caller) {
        JsonObject envelope;
        try {
            envelope = JsonBodies.object(context.body().buffer());
        } catch (JsonBodies.NotAnObject e) {
            refuse(context, caller, new Invalid(400, "invalid_envelope", "The body must be one JSON object: "
                    + e.getMessage()));
            return;
        }
        if (envelope == null) {
            refuse(context, caller, new Invalid(400, "invalid_envelope", "The body must be a JSON object"));
            return;
        }
        JsonObject request = envelope;
        String protocol = request.getString("protocol", "http").toLowerCase(Locale.ROOT);
        String method = String.valueOf(request.getValue("method", request.getValue("body") == null ? "GET" : "POST"))
                .toUpperCase(Locale.ROOT);
        Object timeout = request.getValue("timeout");
        long timeLimit = GatewayAdmission.timeLimitMillis(context);
        Invalid invalid = null;
        if (!PROTOCOLS.contains(protocol)) {
            invalid = new Invalid(400, "invalid_protocol", "protocol must be one of http, https, mcp, openinference");
        } else if (!METHODS.contains(method)) {
            invalid = new Invalid(400, "invalid_method", "method must be one of " + METHODS);
        } else if (timeLimit < 0) {
            invalid = new Invalid(400, "invalid_time_limit", "X-Timelimit must be a positive number of seconds");
        } else if (timeout != null && (!(timeout instanceof Number n) || n.doubleValue() <= 0)) {
            invalid = new Invalid(400, "invalid_timeout", "timeout must be a positive number of seconds");
        } else if (request.getValue("headers") != null && !(request.getValue("headers") instanceof JsonObject)) {
            invalid = new Invalid(400, "invalid_headers", "headers must be an object of names to values");
        } else if ((request.getValue("target_url") == null) == (request.getValue("instance_id") == null)
                && !(request.getValue("instance_id") != null && request.getString("target_url", "").startsWith("/"))) {
            invalid = new Invalid(400, "invalid_target",
                    "Give either target_url, or instance_id (with an optional target_url path such as /v2/health/ready)");
        }
        if (invalid != null) {
            refuse(context, caller, invalid);
            return;
        }
        if (timeout instanceof Number seconds) {
            long millis = (long) (seconds.doubleValue() * 1000);
            timeLimit = timeLimit == 0 ? millis : Math.min(timeLimit, millis);
        }
        long limit = timeLimit;
        MultiMap headers = forwarded.withoutOurCredentials(headers(request.getJsonObject("headers"), protocol),
                CredentialAuthMechanism.credentialOf(context.request()::getHeader));
        Buffer body = body(request.getValue("body"), headers);
        boolean stream = request.getBoolean("stream_response", false);
        Object instanceId = request.getValue("instance_id");
        String targetUrl = request.getString("target_url");
        gateway.vertx.executeBlocking(() -> target(caller.userId(), protocol, instanceId, targetUrl), false)
                .onComplete(resolved -> {
                    if (resolved.failed()) {
                        refuse(context, caller, new Invalid(500, "internal_error", "The target could not be checked"));
                        io.quarkus.logging.Log.error("Envelope target lookup failed", resolved.cause());
                        return;
                    }
                    Object outcome = resolved.result();
                    if (outcome instanceof Invalid refusal) {
                        refuse(context, caller, refusal);
                        return;
                    }
                    new ProxyRelay(gateway, admission, guard, context, caller, ErrorWriter.PROBLEM)
                            .send((URI) outcome, HttpMethod.valueOf(method), headers, body, false, stream, limit);
                });
    }

    /** The URI to call, or the {@link Invalid} reason there is none (runs on a worker: it reads instances). */
    private Object target(long userId, String protocol, Object instanceId, String targetUrl) {
        URI target;
        if (instanceId != null) {
            long id;
            try {
                id = instanceId instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(instanceId));
            } catch (NumberFormatException e) {
                return new Invalid(400, "invalid_target", "instance_id must be a number");
            }
            Optional<URI> base = targets.instanceBase(userId, id);
            if (base.isEmpty()) {
                return new Invalid(404, "instance_not_found", "No running instance " + id + " of yours has an endpoint");
            }
            String path = targetUrl == null ? "" : targetUrl;
            String scheme = "https".equals(protocol) ? "https" : base.get().getScheme();
            try {
                target = new URI(scheme + "://" + base.get().getRawAuthority() + base.get().getRawPath() + path)
                        .normalize();
            } catch (URISyntaxException e) {
                return new Invalid(400, "invalid_target", "target_url is not a valid path: " + e.getReason());
            }
        } else {
            try {
                target = new URI(targetUrl).normalize();
            } catch (Exception e) {
                return new Invalid(400, "invalid_target", "target_url is not a valid URL");
            }
            String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null
                    || target.getRawUserInfo() != null) {
                return new Invalid(400, "invalid_target", "target_url must be an http or https URL with a host");
            }
            if (protocol.equals("https") && !scheme.equals("https") || protocol.equals("http") && !scheme.equals("http")) {
                return new Invalid(400, "invalid_target", "target_url's scheme does not match protocol " + protocol);
            }
            switch (targets.access(userId, target)) {
                case NOT_REGISTERED -> {
                    return new Invalid(403, "target_not_registered", "target_url is neither one of your running"
                            + " instances nor a registered backend");
                }
                case TOKEN_METERED -> {
                    return new Invalid(403, "target_metered_per_token", "target_url is an inference backend priced"
                            + " per token; call it through /v1/chat/completions, /v1/completions, /v1/embeddings or"
                            + " /v1/messages, where its tokens are metered");
                }
                case ALLOWED -> {
                }
            }
        }
        return target;
    }

    private static MultiMap headers(JsonObject given, String protocol) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (given != null) {
            for (Map.Entry<String, Object> header : given) {
                if (header.getValue() instanceof JsonArray values) {
                    values.forEach(value -> headers.add(header.getKey(), String.valueOf(value)));
                } else if (header.getValue() != null) {
                    headers.add(header.getKey(), String.valueOf(header.getValue()));
                }
            }
        }
        if (protocol.equals("mcp") && !headers.contains("Accept")) {
            headers.set("Accept", "application/json, text/event-stream");
        }
        return headers;
    }

    /** A string goes as it is; any other JSON value is sent as JSON. */
    private static Buffer body(Object body, MultiMap headers) {
        if (body == null) {
            return null;
        }
        if (body instanceof String text) {
            return Buffer.buffer(text);
        }
        if (!headers.contains("Content-Type")) {
            headers.set("Content-Type", "application/json");
        }
        return Buffer.buffer(io.vertx.core.json.Json.encode(body));
    }

    private void refuse(RoutingContext context, GatewayCaller caller, Invalid invalid) {
        admission.release(caller);
        ErrorWriter.PROBLEM.send(context.response(), invalid.status(), invalid.code(), invalid.message());
    }

    static void unexpected(RoutingContext context) {
        io.quarkus.logging.Log.error("Proxy request failed", context.failure());
        if (context.statusCode() == 413) {
            ErrorWriter.PROBLEM.send(context.response(), 413, "request_too_large", "The request body is too large");
            return;
        }
        ErrorWriter.PROBLEM.send(context.response(), 500, "internal_error", "The gateway failed to handle this request");
    }
}
