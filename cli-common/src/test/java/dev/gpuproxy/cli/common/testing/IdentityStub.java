package dev.gpuproxy.cli.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gpuproxy.cli.common.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for gpuproxyd's identity API on 127.0.0.1, speaking the agreed wire format (snake_case JSON, problem
 * details on errors): login with JWT-like tokens, API keys (created, listed, revoked, checked on every request from
 * {@code X-API-Key} or {@code Authorization: Bearer}), the current user, and the admin user endpoints. It keeps
 * real state, so a test proves the tools send the right credentials and bodies, not only that they print.
 */
public final class IdentityStub implements AutoCloseable {

    /** One HTTP request as the stub received it. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body) {

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Account(ObjectNode user, String password) {
    }

    private record Key(ObjectNode view, String secret, long userId) {
    }

    private record Canned(int status, String contentType, String body) {
    }

    private static final Pattern KEY_PATH = Pattern.compile("/api/v1/auth/apikeys/([^/]+)");
    private static final Pattern ADMIN_USER_PATH = Pattern.compile("/api/v1/admin/users/([^/]+)/(admin|apikeys|usage)");

    private final HttpServer server;
    private final AtomicLong ids = new AtomicLong(100);
    private final Map<Long, Account> accounts = new LinkedHashMap<>();
    private final Map<String, Long> accessTokens = new HashMap<>();
    private final List<Key> keys = new ArrayList<>();
    private final Map<String, Canned> overrides = new HashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public IdentityStub() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds an account and returns its id. */
    public synchronized long addUser(String email, String password, String name, String role) {
        long id = ids.incrementAndGet();
        ObjectNode user = Json.MAPPER.createObjectNode();
        user.put("id", id).put("email", email).put("name", name).put("role", role).put("active", true)
                .put("rate_limit_per_minute", 100).put("created_at", "2026-01-02T03:04:05Z");
        accounts.put(id, new Account(user, password));
        return id;
    }

    /** Creates an API key for a user as the server would and returns the full key. */
    public synchronized String addKey(long userId, String name) {
        return createKey(userId, name, null).path("api_key").asText();
    }

    /** Answers the next requests to {@code method path} with a fixed response instead of the stub's logic. */
    public synchronized void override(String method, String path, int status, String contentType, String body) {
        overrides.put(method + " " + path, new Canned(status, contentType, body));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The last request to a path, for assertions on what a tool sent. */
    public Request lastRequest(String method, String path) {
        for (int i = requests.size() - 1; i >= 0; i--) {
            Request request = requests.get(i);
            if (request.method().equals(method) && request.path().equals(path)) {
                return request;
            }
        }
        throw new AssertionError("no " + method + " " + path + " among " + requests);
    }

    /** All keys of a user as the server lists them (no secrets). */
    public synchronized List<JsonNode> keysOf(long userId) {
        return keys.stream().filter(key -> key.userId() == userId).map(key -> (JsonNode) key.view().deepCopy())
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                values.get(0)));
        requests.add(new Request(method, path, exchange.getRequestURI().getRawQuery(), headers, body));
        Reply reply;
        synchronized (this) {
            Canned override = overrides.get(method + " " + path);
            if (override != null) {
                reply = new Reply(override.status(), override.contentType(), override.body());
            } else {
                try {
                    reply = route(method, path, query(exchange.getRequestURI().getRawQuery()), headers, body);
                } catch (Problem problem) {
                    reply = problem.reply();
                }
            }
        }
        byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
        if (reply.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private Reply route(String method, String path, Map<String, String> query, Map<String, String> headers,
            String body) {
        if (method.equals("POST") && path.equals("/api/v1/auth/login")) {
            return login(parse(body));
        }
        Account caller = authenticate(headers);
        long callerId = caller.user().path("id").asLong();
        if (method.equals("POST") && path.equals("/api/v1/auth/apikey")) {
            JsonNode request = parse(body);
            String name = request.path("name").asText("");
            if (name.isBlank()) {
                throw new Problem(400, "validation", "name must not be blank");
            }
            return json(201, createKey(callerId, name, request.path("expires_at").textValue()));
        }
        if (method.equals("GET") && path.equals("/api/v1/auth/apikeys")) {
            ObjectNode page = Json.MAPPER.createObjectNode();
            ArrayNode data = page.putArray("data");
            keysOf(callerId).forEach(data::add);
            return json(200, page);
        }
        Matcher keyPath = KEY_PATH.matcher(path);
        if (method.equals("DELETE") && keyPath.matches()) {
            Key key = keys.stream().filter(each -> each.view().path("id").asText().equals(keyPath.group(1))
                    && each.userId() == callerId).findFirst()
                    .orElseThrow(() -> new Problem(404, "not_found", "API key " + keyPath.group(1) + " not found"));
            key.view().put("revoked_at", Instant.now().toString());
            return new Reply(204, null, null);
        }
        if (method.equals("GET") && path.equals("/api/v1/user/me")) {
            return json(200, caller.user());
        }
        if (path.startsWith("/api/v1/admin/")) {
            if (!caller.user().path("role").asText().equals("admin")) {
                throw new Problem(403, "forbidden", "This endpoint requires the admin role");
            }
            return admin(method, path, query, body);
        }
        throw new Problem(404, "not_found", "No resource at " + method + " " + path);
    }

    private Reply admin(String method, String path, Map<String, String> query, String body) {
        if (path.equals("/api/v1/admin/users") && method.equals("GET")) {
            String search = query.getOrDefault("search", "").toLowerCase(Locale.ROOT);
            int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
            int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
            List<ObjectNode> matching = accounts.values().stream().map(Account::user)
                    .filter(user -> user.path("email").asText().toLowerCase(Locale.ROOT).contains(search)
                            || user.path("name").asText().toLowerCase(Locale.ROOT).contains(search))
                    .toList();
            ObjectNode page = Json.MAPPER.createObjectNode();
            ArrayNode data = page.putArray("data");
            matching.stream().skip(offset).limit(limit).forEach(data::add);
            page.put("total", matching.size()).put("limit", limit).put("offset", offset);
            return json(200, page);
        }
        if (path.equals("/api/v1/admin/users") && method.equals("POST")) {
            JsonNode request = parse(body);
            String email = request.path("email").asText("");
            if (!email.contains("@") || request.path("password").asText("").length() < 8) {
                throw new Problem(400, "validation", "email must be an address and password at least 8 characters");
            }
            if (accounts.values().stream().anyMatch(account -> account.user().path("email").asText()
                    .equalsIgnoreCase(email))) {
                throw new Problem(409, "conflict", "A user with email " + email + " already exists");
            }
            long id = addUser(email, request.path("password").asText(), request.path("name").asText(),
                    request.path("role").asText("user"));
            return json(201, accounts.get(id).user());
        }
        Matcher userPath = ADMIN_USER_PATH.matcher(path);
        if (!userPath.matches()) {
            throw new Problem(404, "not_found", "No resource at " + method + " " + path);
        }
        Account account = Optional.ofNullable(accounts.get(Long.parseLong(userPath.group(1))))
                .orElseThrow(() -> new Problem(404, "not_found", "User " + userPath.group(1) + " not found"));
        long id = account.user().path("id").asLong();
        return switch (method + " " + userPath.group(2)) {
            case "POST admin" -> {
                account.user().put("role", "admin");
                yield json(200, account.user());
            }
            case "POST apikeys" -> {
                JsonNode request = parse(body);
                yield json(201, createKey(id, request.path("name").asText(), request.path("expires_at").textValue()));
            }
            case "GET usage" -> {
                ObjectNode usage = Json.MAPPER.createObjectNode();
                usage.put("user_id", id).put("sessions", 3).put("requests", 1234).put("tokens_in", 56000)
                        .put("tokens_out", 78000).put("gpu_seconds", 3600).put("credits_micros", 12_345_678L)
                        .put("first_at", "2026-01-02T03:04:05Z").put("last_at", "2026-01-03T04:05:06Z");
                yield json(200, usage);
            }
            default -> throw new Problem(405, "method_not_allowed", method + " is not allowed on " + path);
        };
    }

    private Reply login(JsonNode request) {
        String email = request.path("email").asText("");
        Account account = accounts.values().stream()
                .filter(each -> each.user().path("email").asText().equalsIgnoreCase(email)
                        && each.password().equals(request.path("password").asText()))
                .findFirst().orElseThrow(() -> new Problem(401, "invalid_credentials", "Invalid email or password"));
        String token = "eyJhbGciOiJIUzI1NiJ9." + UUID.randomUUID();
        accessTokens.put(token, account.user().path("id").asLong());
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.set("user", account.user());
        response.putObject("tokens").put("access_token", token).put("refresh_token", "refresh-" + UUID.randomUUID())
                .put("expires_at", Instant.now().plusSeconds(86400).toString());
        return json(200, response);
    }

    private ObjectNode createKey(long userId, String name, String expiresAt) {
        String prefix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String secret = "gpx_" + prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        ObjectNode view = Json.MAPPER.createObjectNode();
        view.put("id", ids.incrementAndGet()).put("name", name).put("prefix", prefix)
                .put("created_at", Instant.now().toString()).putNull("last_used_at").put("expires_at", expiresAt)
                .putNull("revoked_at");
        keys.add(new Key(view, secret, userId));
        ObjectNode created = Json.MAPPER.createObjectNode();
        created.put("id", view.path("id").asLong()).put("name", name).put("prefix", prefix).put("api_key", secret)
                .put("expires_at", expiresAt).put("created_at", view.path("created_at").asText());
        return created;
    }

    private Account authenticate(Map<String, String> headers) {
        String presented = headers.get("x-api-key");
        String authorization = headers.get("authorization");
        if (presented == null && authorization != null && authorization.startsWith("Bearer ")) {
            presented = authorization.substring("Bearer ".length());
        }
        if (presented == null) {
            throw new Problem(401, "unauthenticated", "Authentication required: send an API key or a bearer token");
        }
        Long userId = accessTokens.get(presented);
        if (userId == null) {
            String secret = presented;
            Key key = keys.stream().filter(each -> each.secret().equals(secret)).findFirst()
                    .orElseThrow(() -> new Problem(401, "invalid_api_key", "Invalid API key"));
            if (!key.view().path("revoked_at").isNull()) {
                throw new Problem(401, "revoked_api_key", "This API key was revoked");
            }
            key.view().put("last_used_at", Instant.now().toString());
            userId = key.userId();
        }
        return accounts.get(userId);
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new Problem(400, "malformed_json", "Malformed JSON: " + e.getMessage());
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private static Reply json(int status, JsonNode body) {
        return new Reply(status, "application/json", body.toString());
    }

    private record Reply(int status, String contentType, String body) {
    }

    /** An error answered as problem details, like gpuproxyd's exception mappers do. */
    private static final class Problem extends RuntimeException {
        private final int status;
        private final String code;

        Problem(int status, String code, String detail) {
            super(detail);
            this.status = status;
            this.code = code;
        }

        Reply reply() {
            ObjectNode problem = Json.MAPPER.createObjectNode();
            problem.put("type", "https://gpuproxy.dev/problems/" + code.replace('_', '-'))
                    .put("title", title(status)).put("status", status).put("detail", getMessage())
                    .put("code", code);
            return new Reply(status, "application/problem+json", problem.toString());
        }

        private static String title(int status) {
            return switch (status) {
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 403 -> "Forbidden";
                case 404 -> "Not Found";
                case 409 -> "Conflict";
                default -> "Error";
            };
        }
    }
}
