package dev.gpuproxy.cli.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gpuproxy.cli.common.Secrets;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request/response log of {@code --debug-mode}: one block per exchange on stderr, with credentials, tokens,
 * keys and passwords masked wherever they appear (headers and JSON bodies).
 */
public final class HttpTrace {

    private static final Set<String> SECRET_FIELDS = Set.of(
            "password", "new_password", "current_password", "api_key", "access_token", "refresh_token", "token",
            "secret");
    private static final int MAX_BODY = 4000;

    private final PrintWriter sink;

    public HttpTrace(PrintWriter sink) {
        this.sink = sink;
    }

    void request(String method, String url, Credential credential, String body) {
        sink.println("> " + method + " " + url);
        if (credential != null) {
            sink.println("> " + credential);
        }
        if (body != null) {
            sink.println("> " + maskBody(body));
        }
        sink.flush();
    }

    void response(int status, long millis, String body) {
        sink.println("< " + status + " (" + millis + " ms)");
        if (body != null && !body.isEmpty()) {
            sink.println("< " + maskBody(body));
        }
        sink.flush();
    }

    void failure(String message, long millis) {
        sink.println("< failed after " + millis + " ms: " + message);
        sink.flush();
    }

    /** A body as it may be printed: JSON with secret fields masked, anything else cut to a readable length. */
    static String maskBody(String body) {
        try {
            JsonNode tree = Json.MAPPER.readTree(body);
            if (tree != null && tree.isContainerNode()) {
                mask(tree);
                return tree.toString();
            }
        } catch (JsonProcessingException notJson) {
            // printed as text below
        }
        return body.length() > MAX_BODY ? body.substring(0, MAX_BODY) + "… (" + body.length() + " chars)" : body;
    }

    private static void mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : List.copyOf(object.properties())) {
                if (SECRET_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    String value = field.getValue().asText();
                    object.put(field.getKey(), field.getKey().contains("password")
                            ? Secrets.maskPassword(value) : Secrets.mask(value));
                } else {
                    mask(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(HttpTrace::mask);
        }
    }
}
