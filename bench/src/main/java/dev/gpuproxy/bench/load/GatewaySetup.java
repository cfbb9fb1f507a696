package dev.gpuproxy.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.bench.Args;
import dev.gpuproxy.bench.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares a running gpuproxyd the way an operator would, through its REST API: waits for {@code /health}, logs in as
 * the bootstrap admin, grants the admin credits (so metering never refuses a benchmark request), creates an API key
 * and the pools and backends, then waits until the gateway routes every pool. Writes the API key to {@code --key-file}.
 *
 * <p>{@code setup --base http://127.0.0.1:8080 --email a@b --password p --key-file f --credits 1000000000
 * --pool name=bench-pass,strategy=round_robin,urls=http://127.0.0.1:9001/v1 [--pool ...]}
 */
public final class GatewaySetup {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    private GatewaySetup(String base) {
        this.base = base;
    }

    /** A client of gpuproxyd's REST API at {@code base} (other scenarios call it as an operator would). */
    public static GatewaySetup at(String base) {
        return new GatewaySetup(base);
    }

    /** Logs in and answers the access token. */
    public String login(String email, String password) throws Exception {
        return call("POST", "/api/v1/auth/login", null, Map.of("email", email, "password", password))
                .path("tokens").path("access_token").asText();
    }

    public static void main(Args args) throws Exception {
        GatewaySetup setup = new GatewaySetup(args.value("base"));
        setup.awaitHealthy(Duration.ofSeconds(args.intValue("timeout-s", 180)));
        JsonNode login = setup.call("POST", "/api/v1/auth/login", null, Map.of("email", args.value("email"),
                "password", args.value("password")));
        String token = login.path("tokens").path("access_token").asText();
        long userId = login.path("user").path("id").asLong();
        setup.call("POST", "/api/v1/admin/users/" + userId + "/credits", token, Map.of("amount",
                args.value("credits", "1000000000"), "kind", "grant", "reason", "benchmark"));
        String apiKey = setup.call("POST", "/api/v1/auth/apikey", token, Map.of("name", "bench")).path("api_key")
                .asText();
        List<String> pools = new ArrayList<>();
        for (String spec : args.all("pool")) {
            Map<String, String> kv = new LinkedHashMap<>();
            for (String part : spec.split(",")) {
                String[] pair = part.split("=", 2);
                kv.put(pair[0], pair[1]);
            }
            String name = kv.get("name");
            setup.idempotent(token, "/api/v1/admin/pools", Map.of("name", name, "strategy",
                    kv.getOrDefault("strategy", "round_robin")), existing -> existing.path("name").asText().equals(name));
            for (String url : kv.get("urls").split("\\|")) {
                setup.idempotent(token, "/api/v1/admin/backends", Map.of("pool", name, "kind", "openai", "url", url),
                        existing -> existing.path("pool").asText().equals(name)
                                && existing.path("url").asText().equals(url));
            }
            pools.add(name);
        }
        setup.awaitRouted(apiKey, pools, Duration.ofSeconds(30));
        Files.writeString(Path.of(args.value("key-file")), apiKey);
        System.out.println("gpuproxyd ready: user " + userId + ", " + pools.size() + " pools");
    }

    /**
     * POSTs {@code body} to {@code path}; if that fails (gpuproxyd answered 5xx or not at all), looks whether it was
     * created anyway before trying again, so a retry never adds a second backend with the same URL.
     */
    private void idempotent(String token, String path, Map<String, String> body,
                            java.util.function.Predicate<JsonNode> isIt) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                call("POST", path, token, body);
                return;
            } catch (IOException | IllegalStateException failed) {
                if (attempt >= 3 || (failed.getMessage() != null && failed.getMessage().contains(" answered 4"))) {
                    throw failed;
                }
                System.err.println("POST " + path + " failed (" + failed.getMessage() + "); checking, then retrying");
                for (JsonNode existing : call("GET", path, token, null).path("data")) {
                    if (isIt.test(existing)) {
                        return;
                    }
                }
            }
        }
    }

    private void awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gpuproxyd at " + base + " did not become healthy in " + timeout);
    }

    /** /v1/models lists what the gateway routes for this key; every pool must be there before load starts. */
    private void awaitRouted(String apiKey, List<String> pools, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode models = call("GET", "/v1/models", apiKey, null);
            List<String> ids = new ArrayList<>();
            models.path("data").forEach(m -> ids.add(m.path("id").asText()));
            if (ids.containsAll(pools)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pools " + pools + " not routed; /v1/models lists " + ids);
            }
            Thread.sleep(250);
        }
    }

    /** One JSON call; a 4xx or 5xx answer is an IllegalStateException naming it. */
    public JsonNode call(String method, String path, String bearer, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(45))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body().isBlank() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(response.body());
    }
}
