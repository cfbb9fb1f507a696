package dev.gpuproxy.server.autopilot;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.server.testsupport.LocalHttpServers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a rented GPU runs in the autopilot test: an OpenAI-compatible server on 127.0.0.1 that lists its model and
 * answers chat completions after a short think, with usage. Closing it drops open connections, as a lost host does.
 */
final class FakeModelServer implements AutoCloseable {

    static final long THINK_MILLIS = 300;

    private final HttpServer http;
    private final AtomicInteger answered = new AtomicInteger();
    private volatile boolean closed;

    FakeModelServer() {
        this.http = LocalHttpServers.start("/", this::handle);
    }

    int port() {
        return http.getAddress().getPort();
    }

    int answered() {
        return answered.get();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            http.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/v1/models")) {
            send(exchange, "{\"object\": \"list\", \"data\": [{\"id\": \"llama\", \"object\": \"model\"}]}");
            return;
        }
        if (!path.equals("/v1/chat/completions")) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        try {
            Thread.sleep(THINK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answered.incrementAndGet();
        send(exchange, """
                {"id": "chatcmpl-%d", "object": "chat.completion", "model": "llama",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "served by %d"},
                 "finish_reason": "stop"}],
                 "usage": {"prompt_tokens": 12, "completion_tokens": 30, "total_tokens": 42}}"""
                .formatted(System.nanoTime(), port()));
    }

    private static void send(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
