package dev.gpuproxy.cli.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gpuproxy.api.sse.SseLineReader;
import dev.gpuproxy.cli.common.CliException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The tools' client for gpuproxyd's REST API: JSON in, typed answers out (the models of api-model, each with the JSON
 * as sent for {@code --format json}), one credential per client, problem-details errors
 * turned into {@link ApiException} (message = the problem's {@code detail}) and unreachable servers into
 * {@link ServerUnavailableException}.
 */
public final class ApiClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final URI server;
    private final Credential credential;
    private final HttpTrace trace;
    private final String userAgent;

    /**
     * @param server     base URL without a trailing slash, such as {@code http://localhost:8080}
     * @param credential sent with every request; null for public endpoints
     * @param trace      request/response log, null unless {@code --debug-mode}
     * @param userAgent  the tool's name and version
     */
    public ApiClient(URI server, Credential credential, HttpTrace trace, String userAgent) {
        this(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build(), server, credential, trace, userAgent);
    }

    private ApiClient(HttpClient http, URI server, Credential credential, HttpTrace trace, String userAgent) {
        this.http = http;
        this.server = server;
        this.credential = credential;
        this.trace = trace;
        this.userAgent = userAgent;
    }

    /** The same server and settings with another credential (for example a fresh login's access token). */
    public ApiClient withCredential(Credential other) {
        return new ApiClient(http, server, other, trace, userAgent);
    }

    public URI server() {
        return server;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    /** GET with query parameters; null values are left out. */
    public JsonNode get(String path, Map<String, ?> query) {
        return send("GET", withQuery(path, query), null);
    }

    public <T> Reply<T> get(String path, Class<T> answer) {
        return reply(get(path), answer);
    }

    /** GET with query parameters (null values left out), read as {@code answer}. */
    public <T> Reply<T> get(String path, Map<String, ?> query, Class<T> answer) {
        return reply(get(path, query), answer);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public <T> Reply<T> post(String path, Object body, Class<T> answer) {
        return reply(post(path, body), answer);
    }

    /** POST with extra request headers, such as {@code Idempotency-Key}. */
    public JsonNode post(String path, Object body, Map<String, String> headers) {
        return send("POST", path, body, headers);
    }

    /** POST with extra request headers, such as {@code Idempotency-Key}, read as {@code answer}. */
    public <T> Reply<T> post(String path, Object body, Map<String, String> headers, Class<T> answer) {
        return reply(post(path, body, headers), answer);
    }

    /**
     * POSTs a JSON body and hands the Server-Sent Events of the answer (a streamed completion) to {@code events} as
     * they arrive; lines that are no event reach {@link SseLineReader.Listener#onOtherLine}, so a server that answers
     * with one JSON body instead of a stream is still read. An error status is read in full and thrown like any
     * other problem.
     */
    public void stream(String path, Object body, SseLineReader.Listener events) {
        streamBody(path, body, answer -> {
            SseLineReader reader = new SseLineReader(events);
            byte[] chunk = new byte[8192];
            for (int read = answer.read(chunk); read >= 0; read = answer.read(chunk)) {
                reader.feed(chunk, 0, read);
            }
            reader.end();
        });
    }

    /**
     * POSTs a JSON body and hands each line of the answer to {@code lines} as it arrives, unparsed (a relayed
     * answer whose format is the backend's); an error status is thrown like any other problem.
     */
    public void streamLines(String path, Object body, Consumer<String> lines) {
        streamBody(path, body, answer -> {
            BufferedReader reader = new BufferedReader(new InputStreamReader(answer, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.accept(line);
            }
        });
    }

    /** Reads a successful streamed answer as it arrives. */
    private interface StreamedBody {
        void read(InputStream answer) throws IOException;
    }

    private void streamBody(String path, Object body, StreamedBody reader) {
        String json = serialize(body);
        HttpRequest request = request("POST", URI.create(server + path), json, Map.of())
                .setHeader("Accept", "text/event-stream, application/json, application/problem+json")
                .build();
        long started = System.nanoTime();
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream(), started);
        try (InputStream answer = response.body()) {
            if (response.statusCode() >= 400) {
                String text = new String(answer.readAllBytes(), StandardCharsets.UTF_8);
                if (trace != null) {
                    trace.response(response.statusCode(), elapsedMillis(started), text);
                }
                throw problem("POST", path, response.statusCode(), text);
            }
            if (trace != null) {
                trace.response(response.statusCode(), elapsedMillis(started), "(streamed)");
            }
            reader.read(answer);
        } catch (IOException e) {
            throw new ServerUnavailableException("the stream from the server at " + server + " broke off: "
                    + e.getMessage(), e);
        }
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    public <T> Reply<T> put(String path, Object body, Class<T> answer) {
        return reply(put(path, body), answer);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    public <T> Reply<T> delete(String path, Class<T> answer) {
        return reply(delete(path), answer);
    }

    /** One path segment, percent-encoded (ids and names chosen by users may hold any character). */
    public static String segment(String value) {
        return encode(value).replace("+", "%20");
    }

    /** A JSON object body from name/value pairs in order, leaving out null values (optional fields). */
    public static Map<String, Object> body(Object... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                body.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return body;
    }

    private static <T> Reply<T> reply(JsonNode json, Class<T> answer) {
        return new Reply<>(json, Json.read(json, answer));
    }

    private static String withQuery(String path, Map<String, ?> query) {
        String encoded = query.entrySet().stream()
                .filter(entry -> entry.getValue() != null)
                .map(entry -> encode(entry.getKey()) + "=" + encode(String.valueOf(entry.getValue())))
                .collect(Collectors.joining("&"));
        return encoded.isEmpty() ? path : path + "?" + encoded;
    }

    private JsonNode send(String method, String path, Object body) {
        return send(method, path, body, Map.of());
    }

    private JsonNode send(String method, String path, Object body, Map<String, String> headers) {
        String json = body == null ? null : serialize(body);
        HttpRequest request = request(method, URI.create(server + path), json, headers).build();
        long started = System.nanoTime();
        HttpResponse<String> response = exchange(request,
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), started);
        if (trace != null) {
            trace.response(response.statusCode(), elapsedMillis(started), response.body());
        }
        if (response.statusCode() >= 400) {
            throw problem(method, path, response.statusCode(), response.body());
        }
        return parse(response, method, path);
    }

    private HttpRequest.Builder request(String method, URI uri, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent)
                .method(method, json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (credential != null) {
            request.header(credential.header(), credential.headerValue());
        }
        headers.forEach(request::header);
        if (trace != null) {
            trace.request(method, uri.toString(), credential, json);
        }
        return request;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, long started) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            if (trace != null) {
                trace.failure(e.toString(), elapsedMillis(started));
            }
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + server, e);
        }
    }

    private ServerUnavailableException unreachable(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return new ServerUnavailableException("connecting to the server at " + server + " timed out after "
                    + CONNECT_TIMEOUT.toSeconds() + " s", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new ServerUnavailableException("the server at " + server + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s", e);
        }
        if (causedBy(e, ConnectException.class)) {
            return new ServerUnavailableException("cannot connect to the server at " + server
                    + " (connection refused); is gpuproxyd running there? Use --server or GPUPROXY_URL to choose"
                    + " another", e);
        }
        if (causedBy(e, UnknownHostException.class)) {
            return new ServerUnavailableException("unknown host '" + server.getHost() + "' in the server URL "
                    + server, e);
        }
        return new ServerUnavailableException("the connection to the server at " + server + " failed: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads problem details ({@code detail}, {@code code}, ...) or the OpenAI-style {@code {"error":{message}}};
     * any other body still gives a message naming the status and the request.
     */
    private ApiException problem(String method, String path, int status, String text) {
        JsonNode body = tryParse(text);
        if (body != null && body.isObject()) {
            JsonNode error = body.path("error");
            String detail = firstText(body.path("detail"), body.path("message"), error.path("message"),
                    body.path("title"));
            if (detail != null) {
                return new ApiException(status, detail, firstText(body.path("code"), error.path("code")),
                        firstText(body.path("type"), error.path("type")), firstText(body.path("title")));
            }
        }
        return new ApiException(status, "the server answered " + status + " to " + method + " " + path, null, null,
                null);
    }

    private JsonNode parse(HttpResponse<String> response, String method, String path) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        JsonNode tree = tryParse(body);
        if (tree == null) {
            throw new CliException("the server at " + server + " answered " + method + " " + path
                    + " with something that is not JSON; is --server pointing at gpuproxyd?");
        }
        return tree;
    }

    private static JsonNode tryParse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String firstText(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            if (candidate != null && candidate.isValueNode() && !candidate.asText().isBlank()) {
                return candidate.asText();
            }
        }
        return null;
    }

    private static String serialize(Object body) {
        try {
            return Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be written as JSON", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
