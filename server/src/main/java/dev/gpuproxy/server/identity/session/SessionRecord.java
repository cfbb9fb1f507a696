package dev.gpuproxy.server.identity.session;

import java.time.Instant;

/** A login session: who, from where, until when, and the hash of its current refresh token. */
public record SessionRecord(String id, long userId, String refreshTokenHash, String ip, String userAgent,
                            Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public boolean activeAt(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
