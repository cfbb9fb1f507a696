package dev.gpuproxy.server.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server on 127.0.0.1 for the protocol tests: an Open Inference v2 model server (every model but those named {@code unknown...}) under
 * {@code /v2}, and under anything else an HTTP echo ({@code /echo...} answers method, path, query, headers and body;
 * {@code /redirect} a 302 to a private address; {@code /slow} waits 5 s; {@code /stream} sends chunks 100 ms apart).
 * It records what it received, except the load balancer's health probes.
 */
public final class ProtocolStub implements AutoCloseable {

    /** One request as it arrived; {@code raw} is the body's bytes (binary tensors are not UTF-8). */
    public record Received(String method, String path, String query, Map<String, List<String>> headers, String body,
                           byte[] raw) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static final Pattern MODEL = Pattern.compile("^/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer)?$");

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public ProtocolStub() {
        server = LocalHttpServers.start("/", this::handle);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String body = new String(raw, StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        if ("gpuproxy-health".equals(exchange.getRequestHeaders().getFirst("User-Agent"))) {
            send(exchange, 200, "application/json", "{}"); // the load balancer's probe, not traffic
            return;
        }
        received.add(new Received(exchange.getRequestMethod(), path, query, Map.copyOf(exchange.getRequestHeaders()),
                body, raw));
        if (path.startsWith("/v2")) {
            String headerLength = exchange.getRequestHeaders().getFirst("Inference-Header-Content-Length");
            if (headerLength != null && MODEL.matcher(path).matches() && path.endsWith("/infer")) {
                binaryInfer(exchange, raw, Integer.parseInt(headerLength));
                return;
            }
            openInference(exchange, path, body);
            return;
        }
        switch (path) {
            case "/redirect" -> {
                exchange.getResponseHeaders().add("Location", "http://10.0.0.1/internal");
                send(exchange, 302, "text/plain", "moved");
            }
            case "/slow" -> {
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(exchange, 200, "text/plain", "late");
            }
            case "/stream" -> {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int i = 0; i < 5; i++) {
                        out.write(("data: part" + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException clientGone) {
                    // the proxy cancelled
                }
            }
            default -> {
                exchange.getResponseHeaders().add("X-Stub", "echo");
                StringBuilder headers = new StringBuilder("{");
                exchange.getRequestHeaders().forEach((k, v) -> headers.append(headers.length() > 1 ? "," : "")
                        .append('"').append(k.toLowerCase()).append("\":\"").append(v.get(0).replace("\"", "'"))
                        .append('"'));
                headers.append('}');
                int status = path.startsWith("/echo/status/") ? Integer.parseInt(path.substring(13)) : 200;
                send(exchange, status, "application/json", "{\"method\":\"" + exchange.getRequestMethod()
                        + "\",\"path\":\"" + path + "\",\"query\":\"" + (query == null ? "" : query)
                        + "\",\"headers\":" + headers + ",\"body\":\"" + body.replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\"}");
            }
        }
    }

    private void openInference(HttpExchange exchange, String path, String body) throws IOException {
        if (path.equals("/v2/health/ready") || path.equals("/v2/health/live")) {
            send(exchange, 200, "application/json", "");
            return;
        }
        Matcher m = MODEL.matcher(path);
        if (!m.matches()) {
            send(exchange, 404, "application/json", "{\"error\":\"unknown path " + path + "\"}");
            return;
        }
        String model = m.group(1);
        if (model.startsWith("unknown")) {
            send(exchange, 404, "application/json", "{\"error\":\"Request for unknown model: '" + model
                    + "' is not found\"}");
            return;
        }
        String action = m.group(3);
        if (action == null) {
            send(exchange, 200, "application/json", "{\"name\":\"" + model + "\",\"versions\":[\"1\"],\"platform\":\"onnx\","
                    + "\"inputs\":[{\"name\":\"INPUT0\",\"datatype\":\"FP32\",\"shape\":[1,4]}],"
                    + "\"outputs\":[{\"name\":\"OUTPUT0\",\"datatype\":\"FP32\",\"shape\":[1,4]}]}");
        } else if (action.equals("/ready")) {
            send(exchange, 200, "application/json", "");
        } else {
            exchange.getResponseHeaders().add("X-Model-Version", m.group(2) == null ? "1" : m.group(2));
            send(exchange, 200, "application/json", "{\"model_name\":\"" + model + "\",\"model_version\":\""
                    + (m.group(2) == null ? "1" : m.group(2)) + "\",\"id\":\"req-1\",\"outputs\":[{\"name\":\"OUTPUT0\","
                    + "\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[2.0,4.0,6.0,8.0]}],\"echo_bytes\":"
                    + body.length() + "}");
        }
    }

    /**
     * The binary tensor extension as Triton serves it: reads the JSON header and the first input's FP32 tensor after it,
     * and answers OUTPUT0 = 2 x INPUT0 as a binary output (JSON header with binary_data_size, then the floats).
     */
    private static void binaryInfer(HttpExchange exchange, byte[] raw, int headerLength) throws IOException {
        JsonObject header = new JsonObject(new String(raw, 0, headerLength, StandardCharsets.UTF_8));
        JsonObject input = header.getJsonArray("inputs").getJsonObject(0);
        int size = input.getJsonObject("parameters").getInteger("binary_data_size");
        ByteBuffer in = ByteBuffer.wrap(raw, headerLength, size).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        while (in.remaining() >= 4) {
            out.putFloat(in.getFloat() * 2);
        }
        byte[] json = new JsonObject().put("model_name", "binary").put("id", header.getString("id"))
                .put("outputs", new JsonArray().add(new JsonObject().put("name", "OUTPUT0").put("datatype", "FP32")
                        .put("shape", input.getJsonArray("shape"))
                        .put("parameters", new JsonObject().put("binary_data_size", size))))
                .encode().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().add("Inference-Header-Content-Length", String.valueOf(json.length));
        exchange.sendResponseHeaders(200, json.length + size);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(json);
            body.write(out.array());
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
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
