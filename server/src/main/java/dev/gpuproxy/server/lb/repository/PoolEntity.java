package dev.gpuproxy.server.lb.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code pools}: a named set of backends, global (no owner) or private to a tenant. */
@Entity
@Table(name = "pools")
public class PoolEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "owner_user_id")
    public Long ownerUserId;

    @Column(name = "strategy")
    public String strategy;

    /** Comma-separated model names that also route here. */
    @Column(name = "aliases")
    public String aliases;

    /** The pool's autoscale declaration as JSON ({@code AutoscaleSpec}), or null for a fixed pool. */
    @Column(name = "autoscale")
    public String autoscale;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
