package dev.gpuproxy.server.gpu.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A row of {@code instances}: one GPU machine rented for a tenant, with the state the poller last saw and how far its
 * running time has been charged. Never leaves the service layer.
 */
@Entity
@Table(name = "instances")
public class GpuInstanceEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "reservation_id")
    public Long reservationId;

    @Column(name = "provider", nullable = false)
    public String provider;

    /** The provider's id for the machine; a placeholder until the provider has accepted the rental. */
    @Column(name = "provider_instance_id", nullable = false)
    public String providerInstanceId;

    @Column(name = "offer_id", nullable = false)
    public String offerId;

    /** JSON: the offer as listed when it was rented, and what was asked to run on it (never environment values). */
    @Column(name = "offer_snapshot")
    public String offerSnapshot;

    @Column(name = "gpu_model")
    public String gpuModel;

    @Column(name = "gpu_count", nullable = false)
    public int gpuCount;

    /** Memory of one GPU in whole GB. */
    @Column(name = "vram_gb")
    public Integer vramGb;

    /** An {@link dev.gpuproxy.provider.spi.InstanceState} in lower case, as the schema's CHECK lists them. */
    @Column(name = "state", nullable = false)
    public String state;

    /** US dollars per hour in millionths. */
    @Column(name = "price_per_hour_micros", nullable = false)
    public long pricePerHourMicros;

    @Column(name = "endpoint")
    public String endpoint;

    /** Running time up to this moment has been charged; null while the instance is not running. */
    @Column(name = "charged_until")
    public Instant chargedUntil;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** When the instance was released or found gone; null while it is live. */
    @Column(name = "ended_at")
    public Instant endedAt;
}
