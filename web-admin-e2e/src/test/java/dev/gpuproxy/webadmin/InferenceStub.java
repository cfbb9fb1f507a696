package dev.gpuproxy.webadmin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible backend on 127.0.0.1 for the balancer: healthy ({@code /health} 200, chat completions with a
 * usage block) or broken (500 for everything, as a crashed model server answers).
 */
final class InferenceStub implements AutoCloseable {

    static final String COMPLETION = """
            {"id":"chatcmpl-e2e","object":"chat.completion","created":1700000000,"model":"e2e",
             "choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""";

    private final HttpServer server;
    private final ExecutorService executor;

    private InferenceStub(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static InferenceStub healthy() {
        return start(false);
    }

    static InferenceStub broken() {
        return start(true);
    }

    private static InferenceStub start(boolean broken) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            ExecutorService executor = Executors.newFixedThreadPool(4);
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                if (broken) {
                    send(exchange, 500, "{\"error\":{\"message\":\"model server crashed\"}}");
                } else if (exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
                    send(exchange, 200, COMPLETION);
                } else {
                    send(exchange, 200, "{\"status\":\"ok\"}");
                }
            });
            server.start();
            return new InferenceStub(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The OpenAI base URL of this backend. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
