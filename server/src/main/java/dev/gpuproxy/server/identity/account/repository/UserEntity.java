package dev.gpuproxy.server.identity.account.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code users}: one tenant (or operator) account. Never leaves the service layer. */
@Entity
@Table(name = "users")
public class UserEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "email", nullable = false, unique = true)
    public String email;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "role", nullable = false)
    public String role;

    @Column(name = "active", nullable = false)
    public boolean active;

    @Column(name = "rate_limit_per_minute")
    public Integer rateLimitPerMinute;

    /** Requests allowed per quota period; null = unlimited. */
    @Column(name = "max_requests")
    public Long maxRequests;

    /** GPU seconds allowed per quota period; null = unlimited. */
    @Column(name = "max_gpu_seconds")
    public Long maxGpuSeconds;

    /** {@code day} or {@code month}: when quotas reset (UTC). */
    @Column(name = "quota_period", nullable = false)
    public String quotaPeriod = "month";

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
