package dev.gpuproxy.server.identity.session.repository;

import dev.gpuproxy.server.identity.session.SessionRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code sessions}. */
@Entity
@Table(name = "sessions")
public class SessionEntity {

    @Id
    @Column(name = "id", nullable = false)
    public String id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "refresh_token_hash", nullable = false)
    public String refreshTokenHash;

    @Column(name = "ip")
    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public static SessionEntity of(SessionRecord record) {
        SessionEntity entity = new SessionEntity();
        entity.id = record.id();
        entity.userId = record.userId();
        entity.refreshTokenHash = record.refreshTokenHash();
        entity.ip = record.ip();
        entity.userAgent = record.userAgent();
        entity.createdAt = record.createdAt();
        entity.expiresAt = record.expiresAt();
        entity.revokedAt = record.revokedAt();
        return entity;
    }

    public SessionRecord toRecord() {
        return new SessionRecord(id, userId, refreshTokenHash, ip, userAgent, createdAt, expiresAt, revokedAt);
    }
}
