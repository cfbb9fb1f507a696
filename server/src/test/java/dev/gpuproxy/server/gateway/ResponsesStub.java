package dev.gpuproxy.server.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.server.testsupport.LocalHttpServers;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on 127.0.0.1 that speaks OpenAI's Responses API as api.openai.com does: create (JSON or an event stream
 * ending in {@code response.completed} with the usage), retrieve and delete of the responses it stored. Its ids carry
 * its name, so a test sees which server stored what; it records every request line and body.
 */
final class ResponsesStub implements AutoCloseable {

    record Received(String method, String path, String body) { }

    private final String name;
    private final HttpServer server;
    private final Map<String, JsonObject> stored = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile String lastCreated;

    ResponsesStub(String name) {
        this.name = name;
        server = LocalHttpServers.start("/", this::handle);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    List<Received> received() {
        return received;
    }

    /** The ids this server issued. */
    java.util.Set<String> storedIds() {
        return stored.keySet();
    }

    /** The id of the last response this server created. */
    String lastCreated() {
        return lastCreated;
    }

    void reset() {
        received.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(method, path, body));
        if (method.equals("POST") && path.equals("/v1/responses")) {
            create(exchange, new JsonObject(body));
            return;
        }
        String id = path.startsWith("/v1/responses/") ? path.substring("/v1/responses/".length()) : "";
        JsonObject response = stored.get(id);
        if (response == null) {
            send(exchange, 404, "{\"error\":{\"message\":\"Response with id '" + id + "' not found.\","
                    + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
        } else if (method.equals("DELETE")) {
            stored.remove(id);
            send(exchange, 200, new JsonObject().put("id", id).put("object", "response.deleted").put("deleted", true)
                    .encode());
        } else {
            send(exchange, 200, response.encode());
        }
    }

    private void create(HttpExchange exchange, JsonObject request) throws IOException {
        String id = "resp_" + name + sequence.incrementAndGet() + "0123456789abcdef";
        String text = "hello from " + name;
        JsonObject done = response(id, request, "completed", text).put("usage", new JsonObject()
                // A continued conversation's input includes what the server stored of it.
                .put("input_tokens", request.getValue("previous_response_id") == null ? 12 : 5000).put("input_tokens_details", new JsonObject().put("cached_tokens", 0))
                .put("output_tokens", 8).put("output_tokens_details", new JsonObject().put("reasoning_tokens", 0))
                .put("total_tokens", 20));
        stored.put(id, done);
        lastCreated = id;
        if (!Boolean.TRUE.equals(request.getValue("stream"))) {
            send(exchange, 200, done.encode());
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            int n = 0;
            event(out, "response.created", new JsonObject().put("type", "response.created").put("sequence_number", n++)
                    .put("response", response(id, request, "in_progress", null).putNull("usage")));
            for (String piece : new String[] {"hello ", "from ", name}) {
                event(out, "response.output_text.delta", new JsonObject().put("type", "response.output_text.delta")
                        .put("sequence_number", n++).put("item_id", "msg_" + id).put("output_index", 0)
                        .put("content_index", 0).put("delta", piece).put("logprobs", new io.vertx.core.json.JsonArray()));
            }
            event(out, "response.completed", new JsonObject().put("type", "response.completed")
                    .put("sequence_number", n).put("response", done));
        }
    }

    private static void event(OutputStream out, String type, JsonObject data) throws IOException {
        out.write(("event: " + type + "\ndata: " + data.encode() + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A Response object with every field the API documents as always present. */
    private static JsonObject response(String id, JsonObject request, String status, String text) {
        io.vertx.core.json.JsonArray output = new io.vertx.core.json.JsonArray();
        if (text != null) {
            output.add(new JsonObject().put("type", "message").put("id", "msg_" + id).put("status", "completed")
                    .put("role", "assistant").put("content", new io.vertx.core.json.JsonArray().add(new JsonObject()
                            .put("type", "output_text").put("text", text)
                            .put("annotations", new io.vertx.core.json.JsonArray()))));
        }
        return new JsonObject().put("id", id).put("object", "response").put("created_at", 1741476542)
                .put("status", status).putNull("error").putNull("incomplete_details").putNull("instructions")
                .putNull("max_output_tokens").put("model", request.getString("model"))
                .put("output", output).put("parallel_tool_calls", true)
                .put("previous_response_id", request.getValue("previous_response_id"))
                .put("store", true).put("temperature", 1.0).put("tool_choice", "auto")
                .put("tools", new io.vertx.core.json.JsonArray()).put("top_p", 1.0).put("truncation", "disabled")
                .put("metadata", new JsonObject());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
