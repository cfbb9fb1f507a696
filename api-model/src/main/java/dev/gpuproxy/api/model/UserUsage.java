package dev.gpuproxy.api.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;

/**
 * A user's usage figures ({@code GET /admin/users/{id}/usage}) in the server's order. The set of figures grows with
 * the server (requests, tokens, GPU seconds, money as {@code *_micros}), so they are kept by name rather than fixed.
 */
public record UserUsage(Map<String, Object> figures) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public UserUsage {
        figures = figures == null ? Map.of() : figures;
    }
}
