package dev.gpuproxy.server.credit.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code usage_sessions}: one flushed batch of a user's metered usage from one client and address. */
@Entity
@Table(name = "usage_sessions")
public class UsageSessionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "ip")
    public String ip;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "ended_at", nullable = false)
    public Instant endedAt;

    @Column(name = "duration_s", nullable = false)
    public long durationSeconds;

    @Column(name = "requests", nullable = false)
    public long requests;

    @Column(name = "tokens_in", nullable = false)
    public long tokensIn;

    @Column(name = "tokens_out", nullable = false)
    public long tokensOut;

    @Column(name = "gpu_seconds", nullable = false)
    public long gpuSeconds;

    @Column(name = "credits", nullable = false)
    public long credits;

    @Column(name = "batch_key", nullable = false, unique = true)
    public String batchKey;
}
