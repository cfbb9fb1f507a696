package dev.gpuproxy.server.autopilot.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of {@code autoscale_rentals}: which pool a rented instance serves, why it was rented and why it left. */
@Entity
@Table(name = "autoscale_rentals")
public class AutoscaleRentalEntity {

    /** The {@code instances} row of the rental. */
    @Id
    @Column(name = "instance_id")
    public Long instanceId;

    @Column(name = "pool_name", nullable = false)
    public String poolName;

    @Column(name = "owner_user_id")
    public Long ownerUserId;

    @Column(name = "reason", nullable = false)
    public String reason;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "ready_at")
    public Instant readyAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "end_reason")
    public String endReason;
}
