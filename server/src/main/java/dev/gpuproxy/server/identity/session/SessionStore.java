package dev.gpuproxy.server.identity.session;

import java.time.Instant;
import java.util.Optional;

/** Where login sessions live: SQL, Redis or both (SESSION_MODE). Implementations are safe across replicas. */
public interface SessionStore {

    enum Rotation {
        /** The presented hash was current and has been replaced. */
        ROTATED,
        /** The session exists but the presented hash is not its current one: a replayed refresh token. */
        STALE_TOKEN,
        /** No active session with that id (unknown, revoked or expired). */
        NOT_ACTIVE
    }

    void create(SessionRecord session);

    Optional<SessionRecord> find(String id);

    /** Atomically replaces the refresh-token hash if {@code expectedHash} is the current one. */
    Rotation rotate(String id, String expectedHash, String newHash, Instant now);

    void revoke(String id, Instant at);
}
