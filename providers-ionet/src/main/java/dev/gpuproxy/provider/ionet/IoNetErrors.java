package dev.gpuproxy.provider.ionet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns io.net (FastAPI) error bodies into one readable line: a 422's
 * {@code {"detail":[{"loc":["body","hardware_id"],"msg":"field required"}]}} becomes {@code hardware_id: field required}.
 */
final class IoNetErrors {

    /** FastAPI prefixes each location with where the value came from, which says nothing to our users. */
    private static final Set<String> SOURCES = Set.of("body", "query", "path", "header", "cookie");

    private IoNetErrors() {
    }

    /** {@link dev.gpuproxy.provider.support.ProviderHttp.ErrorMessageReader} for io.net. */
    static String message(int status, String body) {
        String trimmed = body.strip();
        if (!trimmed.startsWith("{")) {
            return trimmed;
        }
        JsonNode json;
        try {
            json = IoNetJson.read(trimmed);
        } catch (Exception notJson) {
            return trimmed;
        }
        JsonNode detail = json.get("detail");
        if (detail != null && detail.isArray()) {
            return validationErrors(detail);
        }
        if (detail != null && detail.isTextual()) {
            return detail.asText();
        }
        for (String field : List.of("message", "error", "msg")) {
            String text = IoNetJson.text(json, field);
            if (text != null) {
                return text;
            }
        }
        return trimmed;
    }

    private static String validationErrors(JsonNode detail) {
        List<String> problems = new ArrayList<>();
        for (JsonNode error : detail) {
            List<String> location = new ArrayList<>();
            for (JsonNode part : error.path("loc")) {
                if (!(location.isEmpty() && SOURCES.contains(part.asText()))) {
                    location.add(part.asText());
                }
            }
            String msg = error.path("msg").asText("invalid value");
            problems.add(location.isEmpty() ? msg : String.join(".", location) + ": " + msg);
        }
        return String.join("; ", problems);
    }
}
