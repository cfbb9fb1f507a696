package dev.gpuproxy.server.gateway.route;

import dev.gpuproxy.server.common.crypto.SecretBox;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Session affinity for MCP without shared state: the {@code Mcp-Session-Id} a client sees is the backend's own session
 * id sealed (AES-GCM, the key every replica shares) together with the backend and the tenant it was issued to. Any
 * replica can open it and send the request to the backend that holds the session; a forged, altered or another
 * tenant's id opens to nothing, which the client is told as 404 (start a new session), as MCP prescribes.
 */
@ApplicationScoped
class McpSessions {

    /** Where a client's session lives: the backend and that backend's own session id. */
    record Binding(long backendId, String backendSessionId) { }

    private static final String PREFIX = "gpx1.";

    private final SecretBox box;

    McpSessions(SecretBox box) {
        this.box = box;
    }

    /** The id handed to the client for {@code backendSessionId} issued by {@code backendId} to {@code userId}. */
    String seal(long userId, long backendId, String backendSessionId) {
        String sealed = box.encrypt(userId + "/" + backendId + "/" + backendSessionId);
        // Visible ASCII only (MCP's rule for session ids): the sealed form is base64 after "v1:".
        return PREFIX + sealed.substring(sealed.indexOf(':') + 1);
    }

    /** The binding inside a client's session id, when it was issued to {@code userId}. */
    Optional<Binding> open(String clientSessionId, long userId) {
        if (clientSessionId == null || !clientSessionId.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            String[] parts = box.decrypt("v1:" + clientSessionId.substring(PREFIX.length())).split("/", 3);
            if (parts.length != 3 || Long.parseLong(parts[0]) != userId) {
                return Optional.empty();
            }
            return Optional.of(new Binding(Long.parseLong(parts[1]), parts[2]));
        } catch (RuntimeException notOurs) {
            return Optional.empty();
        }
    }
}
