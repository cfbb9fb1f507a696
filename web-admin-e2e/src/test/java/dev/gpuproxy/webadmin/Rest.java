package dev.gpuproxy.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gpuproxy.cli.common.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The REST API as the tests use it to seed data and to check what the page did. */
final class Rest {

    record Answer(int status, JsonNode body) {}

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Rest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Answer send(String method, String path, String token, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body().isBlank() ? Json.MAPPER.nullNode()
                    : Json.MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A call that must succeed. */
    JsonNode ok(String method, String path, String token, Object body) {
        Answer answer = send(method, path, token, body);
        assertThat(answer.status()).as("%s %s answered %s", method, path, answer.body()).isBetween(200, 299);
        return answer.body();
    }

    JsonNode get(String path, String token) {
        return ok("GET", path, token, null);
    }

    /** Logs in and returns the access token. */
    String login(String email, String password) {
        return ok("POST", "/api/v1/auth/login", null, Map.of("email", email, "password", password))
                .path("tokens").path("access_token").asText();
    }

    /** Registers a tenant and returns its id. */
    long register(String email, String password, String name) {
        return ok("POST", "/api/v1/auth/register", null, Map.of("email", email, "password", password, "name", name))
                .path("user").path("id").asLong();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
