package dev.gpuproxy.server.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An inference server on 127.0.0.1 speaking the OpenAI (vLLM) and Anthropic wire formats, whose behaviour a test
 * sets: answer normally, fail with a status, stream and die midway, stream slowly. It records what it received.
 */
public final class UpstreamStub implements AutoCloseable {

    public enum Mode { OK, STATUS, DIE_MID_STREAM, SLOW_STREAM }

    public record Received(String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final String name;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger streamsCancelled = new AtomicInteger();
    private volatile Mode mode = Mode.OK;
    private volatile int status = 200;
    private volatile String statusBody = "";
    private volatile Map<String, String> statusHeaders = Map.of();
    /** Keys (Bearer or x-api-key) this server refuses with 401, like a provider with a revoked key. */
    private volatile List<String> revokedKeys = List.of();

    public UpstreamStub(String name) {
        this.name = name;
        server = LocalHttpServers.start("/", this::handle);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public List<Received> received() {
        return received;
    }

    public int streamsCancelled() {
        return streamsCancelled.get();
    }

    public void reset() {
        mode = Mode.OK;
        status = 200;
        statusBody = "";
        statusHeaders = Map.of();
        revokedKeys = List.of();
        received.clear();
        streamsCancelled.set(0);
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public void failWith(int status, String body, Map<String, String> headers) {
        this.mode = Mode.STATUS;
        this.status = status;
        this.statusBody = body;
        this.statusHeaders = headers;
    }

    public void revoke(String... keys) {
        this.revokedKeys = List.of(keys);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body));
        String credential = credential(exchange);
        if (credential != null && revokedKeys.contains(credential)) {
            send(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\","
                    + "\"param\":null,\"code\":\"invalid_api_key\"}}");
            return;
        }
        if (mode == Mode.STATUS) {
            statusHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            send(exchange, status, statusBody);
            return;
        }
        boolean stream = body.replace(" ", "").contains("\"stream\":true");
        if (path.endsWith("/messages")) {
            anthropic(exchange, stream);
        } else if (path.endsWith("/embeddings")) {
            send(exchange, 200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
                    + "\"embedding\":[0.1,0.2]}],\"model\":\"m\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}");
        } else if (stream) {
            streamChat(exchange);
        } else {
            send(exchange, 200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,"
                    + "\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello from "
                    + name + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20,"
                    + "\"total_tokens\":30}}");
        }
    }

    private void streamChat(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        // Dying midway: promise a long body, send part of it, close the connection.
        exchange.sendResponseHeaders(200, mode == Mode.DIE_MID_STREAM ? 1_000_000 : 0);
        OutputStream out = exchange.getResponseBody();
        int chunks = mode == Mode.SLOW_STREAM ? 200 : 5;
        try {
            for (int i = 0; i < chunks; i++) {
                String chunk = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                        + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + i + " \"},"
                        + "\"finish_reason\":null}]}";
                out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (mode == Mode.DIE_MID_STREAM && i == 2) {
                    exchange.close();
                    return;
                }
                if (mode == Mode.SLOW_STREAM) {
                    Thread.sleep(50);
                }
            }
            out.write(("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5,"
                    + "\"total_tokens\":12}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
            out.close();
        } catch (IOException clientGone) {
            streamsCancelled.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void anthropic(HttpExchange exchange, boolean stream) throws IOException {
        if (!stream) {
            send(exchange, 200, "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"hi from " + name + "\"}],\"stop_reason\":\"end_turn\","
                    + "\"usage\":{\"input_tokens\":12,\"output_tokens\":6}}");
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                    + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n"
                    + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n"
                    + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                    + "\"usage\":{\"output_tokens\":6}}\n\n"
                    + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String credential(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ")) {
            return authorization.substring(7);
        }
        return exchange.getRequestHeaders().getFirst("x-api-key");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } else {
            exchange.close();
        }
    }
}
