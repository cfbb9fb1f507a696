package dev.gpuproxy.server.gpu.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code reservations}: up to 16 instances rented in one call, released together. */
@Entity
@Table(name = "reservations")
public class ReservationEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "requested", nullable = false)
    public int requested;

    @Column(name = "strategy", nullable = false)
    public String strategy;

    /** pending, active, failed, released or expired. */
    @Column(name = "state", nullable = false)
    public String state;

    @Column(name = "all_or_nothing", nullable = false)
    public boolean allOrNothing = true;

    /** The request as received (JSON; environment variable names only). */
    @Column(name = "request")
    public String request;

    @Column(name = "credits_held", nullable = false)
    public long creditsHeld;

    @Column(name = "pool_id")
    public Long poolId;

    @Column(name = "model")
    public String model;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "released_at")
    public Instant releasedAt;
}
