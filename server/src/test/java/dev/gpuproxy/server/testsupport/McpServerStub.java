package dev.gpuproxy.server.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An MCP server speaking Streamable HTTP at {@code /mcp} on 127.0.0.1, as the MCP servers gpuproxy fronts do.
 * Session protocol (2025-03-26 .. 2025-11-25): {@code initialize} issues an {@code Mcp-Session-Id}; later requests
 * without it get 400, with an unknown one 404; DELETE ends the session; GET opens a server-to-client SSE stream.
 * Stateless protocol (2026-07-28, chosen by the {@code MCP-Protocol-Version} header): no session, {@code server/discover}.
 * Tools: {@code whoami} (answers this server's name, as JSON) and {@code countdown} (streams {@code n} log and progress
 * notifications over SSE, then the result). It records every request it received.
 */
public final class McpServerStub implements AutoCloseable {

    public static final String STATELESS = "2026-07-28";
    private static final Set<String> SESSION_VERSIONS = Set.of("2025-03-26", "2025-06-18", "2025-11-25");

    public record Received(String method, Map<String, List<String>> headers, JsonObject body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String rpcMethod() {
            return body == null ? null : body.getString("method");
        }
    }

    private final String name;
    private final HttpServer server;
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public McpServerStub(String name) {
        this.name = name;
        server = LocalHttpServers.start("/mcp", this::handle);
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp";
    }

    public List<Received> received() {
        return received;
    }

    /** The session ids this server issued and that are still open. */
    public Set<String> openSessions() {
        return Set.copyOf(sessions.keySet());
    }

    /** Every session id this server ever issued. */
    public Set<String> issuedSessions() {
        return Set.copyOf(issued);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        if ("gpuproxy-health".equals(exchange.getRequestHeaders().getFirst("User-Agent"))) {
            send(exchange, 200, null, null);
            return;
        }
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonObject message = text.isBlank() ? null : new JsonObject(text);
        received.add(new Received(exchange.getRequestMethod(), Map.copyOf(exchange.getRequestHeaders()), message));
        String version = exchange.getRequestHeaders().getFirst("MCP-Protocol-Version");
        boolean stateless = STATELESS.equals(version);
        String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
        boolean initialize = message != null && "initialize".equals(message.getString("method"));
        if (!stateless && !initialize) {
            if (session == null) {
                send(exchange, 400, "application/json", rpcError(null, -32600, "Mcp-Session-Id required"));
                return;
            }
            if (!sessions.containsKey(session)) {
                send(exchange, 404, "application/json", rpcError(null, -32001, "Session not found"));
                return;
            }
        }
        switch (exchange.getRequestMethod()) {
            case "POST" -> post(exchange, message, stateless);
            case "GET" -> {
                if (stateless) {
                    send(exchange, 405, null, null);
                } else {
                    serverStream(exchange);
                }
            }
            case "DELETE" -> {
                sessions.remove(session);
                send(exchange, 200, null, null);
            }
            default -> send(exchange, 405, null, null);
        }
    }

    private void post(HttpExchange exchange, JsonObject message, boolean stateless) throws IOException {
        if (message == null || !message.containsKey("method")) {
            send(exchange, 202, null, null); // a response to one of our requests
            return;
        }
        Object id = message.getValue("id");
        if (id == null) {
            send(exchange, 202, null, null); // a notification
            return;
        }
        JsonObject params = message.getJsonObject("params", new JsonObject());
        switch (message.getString("method")) {
            case "initialize" -> {
                String requested = params.getString("protocolVersion");
                String session = UUID.randomUUID().toString();
                sessions.put(session, requested);
                issued.add(session);
                exchange.getResponseHeaders().add("Mcp-Session-Id", session);
                send(exchange, 200, "application/json", result(id, new JsonObject()
                        .put("protocolVersion", SESSION_VERSIONS.contains(requested) ? requested : "2025-06-18")
                        .put("capabilities", new JsonObject().put("tools", new JsonObject()).put("logging",
                                new JsonObject()))
                        .put("serverInfo", new JsonObject().put("name", name).put("version", "1.0.0"))));
            }
            case "server/discover" -> send(exchange, 200, "application/json", result(id, new JsonObject()
                    .put("supportedVersions", new JsonArray().add(STATELESS))
                    .put("capabilities", new JsonObject().put("tools", new JsonObject()))
                    .put("serverInfo", new JsonObject().put("name", name).put("version", "1.0.0"))));
            case "ping" -> send(exchange, 200, "application/json", result(id, new JsonObject()));
            case "tools/list" -> send(exchange, 200, "application/json", result(id, new JsonObject().put("tools",
                    new JsonArray()
                            .add(tool("whoami", "Names the MCP server that answered", new JsonObject()))
                            .add(tool("countdown", "Streams n notifications, then answers", new JsonObject()
                                    .put("n", new JsonObject().put("type", "integer")))))));
            case "tools/call" -> callTool(exchange, id, params, stateless);
            default -> send(exchange, 200, "application/json", rpcError(id, -32601, "Method not found"));
        }
    }

    private void callTool(HttpExchange exchange, Object id, JsonObject params, boolean stateless) throws IOException {
        String tool = params.getString("name");
        if ("whoami".equals(tool)) {
            String mcpName = exchange.getRequestHeaders().getFirst("Mcp-Name");
            send(exchange, 200, "application/json", result(id, textResult(name
                    + (stateless ? " (stateless, Mcp-Name=" + mcpName + ")" : ""))));
            return;
        }
        if (!"countdown".equals(tool)) {
            send(exchange, 200, "application/json", rpcError(id, -32602, "Unknown tool " + tool));
            return;
        }
        int n = params.getJsonObject("arguments", new JsonObject()).getInteger("n", 3);
        Object progressToken = params.getJsonObject("_meta", new JsonObject()).getValue("progressToken");
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = n; i > 0; i--) {
                event(out, "e" + i, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/message")
                        .put("params", new JsonObject().put("level", "info").put("data", name + " counts " + i)));
                if (progressToken != null) {
                    event(out, "p" + i, new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/progress")
                            .put("params", new JsonObject().put("progressToken", progressToken)
                                    .put("progress", n - i + 1).put("total", n)));
                }
                Thread.sleep(20);
            }
            event(out, "done", new JsonObject(result(id, textResult(name + " finished"))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the gateway cancelled the stream
        }
    }

    /** GET: one event naming this server (and the Last-Event-ID it was given), then keep-alive comments. */
    private void serverStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        try (OutputStream out = exchange.getResponseBody()) {
            event(out, "g1", new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/message")
                    .put("params", new JsonObject().put("level", "info")
                            .put("data", name + " stream open, resumed after " + lastEventId)));
            for (int i = 0; i < 300; i++) {
                Thread.sleep(100);
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the client closed the stream
        }
    }

    private static void event(OutputStream out, String id, JsonObject data) throws IOException {
        out.write(("id: " + id + "\ndata: " + data.encode() + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static JsonObject tool(String name, String description, JsonObject properties) {
        return new JsonObject().put("name", name).put("description", description)
                .put("inputSchema", new JsonObject().put("type", "object").put("properties", properties));
    }

    private static JsonObject textResult(String text) {
        return new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text")
                .put("text", text))).put("isError", false);
    }

    private static String result(Object id, JsonObject result) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result).encode();
    }

    private static String rpcError(Object id, int code, String message) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", id)
                .put("error", new JsonObject().put("code", code).put("message", message)).encode();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
