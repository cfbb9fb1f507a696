package dev.gpuproxy.server.gateway;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Errors of the OpenAI-compatible routes, in OpenAI's shape: {@code {"error":{message,type,param,code}}}. */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static JsonObject body(String message, String type, String code) {
        return body(message, type, code, null);
    }

    static JsonObject body(String message, String type, String code, String param) {
        return new JsonObject().put("error", new JsonObject()
                .put("message", message).put("type", type).put("param", param).put("code", code));
    }

    static void send(HttpServerResponse response, int status, String message, String type, String code) {
        if (response.headWritten()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(body(message, type, code).encode());
    }

    public static void unauthorized(HttpServerResponse response, String message) {
        response.putHeader("WWW-Authenticate", "Bearer realm=\"gpuproxy\"");
        send(response, 401, message, "invalid_request_error", "invalid_api_key");
    }

    static void modelNotFound(HttpServerResponse response, String model) {
        send(response, 404, "The model '" + model + "' does not exist or you do not have access to it.",
                "invalid_request_error", "model_not_found");
    }

    static void rateLimited(HttpServerResponse response, long retryAfterSeconds, String message) {
        response.putHeader("Retry-After", String.valueOf(Math.max(1, retryAfterSeconds)));
        send(response, 429, message, "rate_limit_error", "rate_limit_exceeded");
    }

    static void insufficientCredits(HttpServerResponse response, String message) {
        send(response, 402, message, "insufficient_quota", "insufficient_credits");
    }

    static void badRequest(HttpServerResponse response, String message) {
        send(response, 400, message, "invalid_request_error", "invalid_request");
    }

    /** A 400 about one request parameter, named in {@code param} as OpenAI does. */
    public static void invalidParameter(HttpServerResponse response, String param, String code, String message) {
        if (!response.headWritten()) {
            response.setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end(body(message, "invalid_request_error", code, param).encode());
        }
    }

    static void upstreamFailed(HttpServerResponse response, String message) {
        send(response, 502, message, "api_error", "upstream_unavailable");
    }

    /** The event that ends a stream whose upstream failed after the first byte. */
    static String streamErrorEvent(String message) {
        return streamErrorEvent(message, "upstream_stream_failed");
    }

    /** The event that ends a stream early, with the reason's {@code code}. */
    static String streamErrorEvent(String message, String code) {
        return "data: " + body(message, "api_error", code).encode() + "\n\n";
    }
}
