package dev.gpuproxy.server.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.server.testsupport.LocalHttpServers;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible backend that spends as much as it may, or more: it always generates max_tokens tokens (2,000
 * when the request sets none, like a model left to run), and when {@link #ignoreMaxTokens} is on it streams 2,000 one-token
 * events whatever the request asked. It records the max_tokens each request carried (-1 for none).
 */
final class GreedyUpstream implements AutoCloseable {

    static final int UNCAPPED_TOKENS = 2000;

    private final HttpServer server = LocalHttpServers.start("/", this::handle);
    final List<Long> maxTokensSeen = new CopyOnWriteArrayList<>();
    volatile boolean ignoreMaxTokens;

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    void reset() {
        maxTokensSeen.clear();
        ignoreMaxTokens = false;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonObject request = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Object max = request.getValue("max_tokens");
        maxTokensSeen.add(max instanceof Number n ? n.longValue() : -1L);
        long tokens = ignoreMaxTokens || !(max instanceof Number n) ? UNCAPPED_TOKENS : n.longValue();
        if (Boolean.TRUE.equals(request.getValue("stream"))) {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (long i = 0; i < tokens; i++) {
                    out.write(("data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                            + "{\"content\":\"t" + i + " \"}}]}\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                out.write(("data: {\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                        + "10,\"completion_tokens\":" + tokens + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException cut) {
                // the gateway hung up: that is what a cut stream looks like from here
            }
            return;
        }
        byte[] body = ("{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"long answer\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":10,"
                + "\"completion_tokens\":" + tokens + ",\"total_tokens\":" + (tokens + 10) + "}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
