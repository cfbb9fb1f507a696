package dev.gpuproxy.server.gateway;

import dev.gpuproxy.server.common.error.Problem;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * How one protocol tells its clients that something went wrong: OpenAI's {@code {"error":{...}}}, Open Inference's
 * {@code {"error":"..."}} or problem+json. The proxy machinery speaks only through this, so it serves every protocol.
 */
public interface ErrorWriter {

    /** Writes one error answer unless the response head already went out. */
    void send(HttpServerResponse response, int status, String code, String message);

    /** What ends a stream that broke after its head went out, or null to reset the connection instead. */
    default String streamError(String message) {
        return null;
    }

    /** {@link #streamError(String)} with the reason's code, for a stream the gateway itself ends. */
    default String streamError(String message, String code) {
        return streamError(message);
    }

    default void unauthorized(HttpServerResponse response, String message) {
        response.putHeader("WWW-Authenticate", "Bearer realm=\"gpuproxy\"");
        send(response, 401, "invalid_api_key", message);
    }

    default void rateLimited(HttpServerResponse response, long retryAfterSeconds, String message) {
        response.putHeader("Retry-After", String.valueOf(Math.max(1, retryAfterSeconds)));
        send(response, 429, "rate_limit_exceeded", message);
    }

    default void modelNotFound(HttpServerResponse response, String model) {
        send(response, 404, "model_not_found",
                "The model '" + model + "' does not exist or you do not have access to it.");
    }

    /** OpenAI's shape; the type follows from the status as the OpenAI API does. */
    ErrorWriter OPENAI = new ErrorWriter() {
        @Override
        public void send(HttpServerResponse response, int status, String code, String message) {
            String type = switch (status) {
                case 400, 401, 404, 413 -> "invalid_request_error";
                case 402 -> "insufficient_quota";
                case 429 -> "rate_limit_error";
                default -> "api_error";
            };
            OpenAiErrors.send(response, status, message, type, code);
        }

        @Override
        public String streamError(String message) {
            return OpenAiErrors.streamErrorEvent(message);
        }

        @Override
        public String streamError(String message, String code) {
            return OpenAiErrors.streamErrorEvent(message, code);
        }
    };

    /**
     * Anthropic's shape, {@code {"type":"error","error":{"type":...,"message":...}}}, so the Anthropic SDKs raise their
     * own typed errors; the type follows from the status as Anthropic's API does. Our {@code code} goes in
     * {@code error.code} too (Anthropic's clients ignore unknown fields), so a script can still tell the reasons apart.
     */
    ErrorWriter ANTHROPIC = new ErrorWriter() {
        @Override
        public void send(HttpServerResponse response, int status, String code, String message) {
            if (!response.headWritten()) {
                response.setStatusCode(status).putHeader("Content-Type", "application/json")
                        .end(anthropicError(status, code, message).encode());
            }
        }

        @Override
        public String streamError(String message) {
            return streamError(message, "upstream_stream_failed");
        }

        @Override
        public String streamError(String message, String code) {
            // Anthropic's streams end a failure with an "error" event.
            return "event: error\ndata: " + anthropicError(500, code, message).encode() + "\n\n";
        }
    };

    static JsonObject anthropicError(int status, String code, String message) {
        String type = switch (status) {
            case 400, 413 -> status == 413 ? "request_too_large" : "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
        return new JsonObject().put("type", "error").put("error", new JsonObject().put("type", type)
                .put("message", message).put("code", code));
    }

    /** Open Inference Protocol v2: {@code {"error": "message"}}. */
    ErrorWriter OPEN_INFERENCE = (response, status, code, message) -> {
        if (!response.headWritten()) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", message).encode());
        }
    };

    /**
     * MCP: a JSON-RPC 2.0 error response with a null id (the gateway answers before any backend read the message);
     * the HTTP status carries the meaning (401, 402, 403, 404 = start a new session, 429).
     */
    ErrorWriter MCP = new ErrorWriter() {
        @Override
        public void send(HttpServerResponse response, int status, String code, String message) {
            if (!response.headWritten()) {
                int rpcCode = status == 400 ? -32600 : status == 404 ? -32001 : -32000;
                response.setStatusCode(status).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("jsonrpc", "2.0").putNull("id").put("error", new JsonObject()
                                .put("code", rpcCode).put("message", message)
                                .put("data", new JsonObject().put("reason", code))).encode());
            }
        }

        @Override
        public void modelNotFound(HttpServerResponse response, String pool) {
            send(response, 503, "no_mcp_backend", "MCP pool '" + pool + "' has no backend available");
        }
    };

    /** The REST API's RFC 9457 problem details. */
    ErrorWriter PROBLEM = (response, status, code, message) -> {
        if (!response.headWritten()) {
            Problem problem = Problem.of(status, code, message);
            response.setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(new JsonObject().put("type", problem.type()).put("title", problem.title())
                            .put("status", status).put("detail", message).put("code", code).encode());
        }
    };
}
