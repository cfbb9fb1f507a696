package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.server.common.crypto.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Affinity for the OpenAI Responses API without shared state, as {@link McpSessions} does for MCP: the response id a
 * client sees is the backend's own id sealed (AES-GCM, the key every replica shares) with the backend and the tenant.
 * Any replica can open it and send {@code GET/DELETE /v1/responses/{id}} or a {@code previous_response_id} to the
 * backend that stored the response; a forged, altered or another tenant's id opens to nothing (404).
 */
@ApplicationScoped
class ResponseIds {

    /** Where a response lives: the backend and that backend's own id for it. */
    record Binding(long backendId, String backendResponseId) { }

    /** Still starts with {@code resp_}, as clients that check the prefix expect; URL-safe, so it fits in a path. */
    static final String PREFIX = "resp_gpx1";

    private final SecretBox box;

    ResponseIds(SecretBox box) {
        this.box = box;
    }

    String seal(long userId, long backendId, String backendResponseId) {
        String sealed = box.encrypt(userId + "/" + backendId + "/" + backendResponseId);
        String base64 = sealed.substring(sealed.indexOf(':') + 1);
        return PREFIX + base64.replace('+', '-').replace('/', '_').replace("=", "");
    }

    Optional<Binding> open(String clientId, long userId) {
        if (clientId == null || !clientId.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            String base64 = clientId.substring(PREFIX.length()).replace('-', '+').replace('_', '/');
            base64 = base64 + "=".repeat((4 - base64.length() % 4) % 4);
            String[] parts = box.decrypt("v1:" + base64).split("/", 3);
            if (parts.length != 3 || Long.parseLong(parts[0]) != userId) {
                return Optional.empty();
            }
            return Optional.of(new Binding(Long.parseLong(parts[1]), parts[2]));
        } catch (RuntimeException notOurs) {
            return Optional.empty();
        }
    }
}
